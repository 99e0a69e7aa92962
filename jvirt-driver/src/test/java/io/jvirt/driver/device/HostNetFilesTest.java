package io.jvirt.driver.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.DomainInterface;
import io.jvirt.api.InterfaceStats;
import io.jvirt.config.DomainXml;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostNetFilesTest {
    private static final String PROC_NET_DEV = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:    1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0
             vnet0:    5000      50    1    2    0     0          0         0     7000      70    3    4    0     0       0          0
            """;

    @Test
    void aTapsCountersAreSwappedIntoTheGuestsView() {
        assertThat(HostNetFiles.counters(PROC_NET_DEV, "vnet0", true))
                .isEqualTo(new InterfaceStats(7000, 70, 3, 4, 5000, 50, 1, 2));
        assertThat(HostNetFiles.counters(PROC_NET_DEV, "vnet0", false))
                .isEqualTo(new InterfaceStats(5000, 50, 1, 2, 7000, 70, 3, 4));
        assertThat(HostNetFiles.counters(PROC_NET_DEV, "vnet1", true)).isNull();
    }

    @Test
    void arpEntriesAreMatchedByMac() {
        String arp = """
                IP address       HW type     Flags       HW address            Mask     Device
                10.0.0.5         0x1         0x2         52:54:00:AA:BB:01     *        br0
                10.0.0.6         0x1         0x0         00:00:00:00:00:00     *        br0
                """;
        var table = HostNetFiles.arp(arp);
        assertThat(table).containsExactly(new HostNetFiles.ArpEntry("10.0.0.5", "52:54:00:aa:bb:01"));
        var live = DomainXml.parse("""
                <domain type='qemu'><name>g1</name><memory unit='MiB'>128</memory>
                  <os><type>hvm</type></os>
                  <devices>
                    <interface type='user'><mac address='52:54:00:aa:bb:01'/><alias name='net0'/></interface>
                    <interface type='user'><mac address='52:54:00:aa:bb:02'/><alias name='net1'/></interface>
                  </devices>
                </domain>
                """);
        assertThat(InterfaceQueries.arp(live, table))
                .containsExactly(new DomainInterface(
                        "net0",
                        "52:54:00:aa:bb:01",
                        List.of(new DomainInterface.Address(DomainInterface.Address.IPV4, "10.0.0.5", 0))));
    }
}
