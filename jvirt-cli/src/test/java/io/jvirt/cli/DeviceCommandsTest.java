package io.jvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.DeviceModifyFlags;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device commands: virsh's flags, messages and tables over the Java API. */
class DeviceCommandsTest {
    private final FakeConnection connection = new FakeConnection();
    private FakeConnection.Domain g1;

    @TempDir
    Path dir;

    @BeforeEach
    void guest() {
        g1 = connection.addRunning("g1", UUID.fromString("20fc6db7-d0f8-4a96-8fd7-7a2d6e36ce75"), 3);
        g1.xml = """
                <domain type='qemu'><name>g1</name><devices>
                  <disk type='file' device='disk'><source file='/img/a.qcow2'/><target dev='vda' bus='virtio'/></disk>
                  <disk type='file' device='cdrom'><target dev='sdc' bus='sata'/></disk>
                  <interface type='bridge'><mac address='52:54:00:aa:bb:02'/><source bridge='br0'/>
                    <target dev='vnet3'/><model type='virtio'/></interface>
                  <interface type='user'><mac address='52:54:00:aa:bb:01'/></interface>
                </devices></domain>
                """;
    }

    @Test
    void attachDeviceMapsVirshsFlags() throws Exception {
        Path xml = Files.writeString(dir.resolve("d.xml"), "<disk/>");
        CliRun run = CliRun.of(connection, "attach-device", "g1", xml.toString(), "--persistent");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("Device attached successfully\n\n");
        CliRun.of(connection, "attach-device", "g1", xml.toString());
        CliRun.of(connection, "attach-device", "g1", "--file", xml.toString(), "--config");
        assertThat(connection.calls)
                .extracting(FakeConnection.Call::flags)
                .containsExactly(
                        DeviceModifyFlags.LIVE | DeviceModifyFlags.CONFIG,
                        DeviceModifyFlags.LIVE,
                        DeviceModifyFlags.CONFIG);
        assertThat(connection.calls.getFirst().xml()).isEqualTo("<disk/>");

        CliRun both = CliRun.of(connection, "attach-device", "g1", xml.toString(), "--current", "--live");
        assertThat(both.status()).isNotZero();
        assertThat(both.err()).contains("Options --current and --live are mutually exclusive");
    }

    @Test
    void detachDeviceFailsInVirshsWords() throws Exception {
        Path xml = Files.writeString(dir.resolve("d.xml"), "<disk/>");
        connection.deviceFailure = VirtException.of(ErrorCode.DEVICE_MISSING, ErrorDomain.QEMU, "disk vdz not found");
        CliRun run = CliRun.of(connection, "detach-device", "g1", xml.toString(), "--live");
        assertThat(run.status()).isNotZero();
        assertThat(run.err())
                .isEqualTo("error: Failed to detach device from " + xml
                        + "\nerror: device not found: disk vdz not found\n");
    }

    @Test
    void listsAndStatsLookAsVirshPrintsThem() {
        assertThat(CliRun.of(connection, "domblklist", "g1").out()).isEqualTo("""
                 Target   Source
                ------------------------
                 vda      /img/a.qcow2
                 sdc      -

                """);
        assertThat(CliRun.of(connection, "domiflist", "g1").out()).isEqualTo("""
                 Interface   Type     Source   Model    MAC
                -----------------------------------------------------------
                 vnet3       bridge   br0      virtio   52:54:00:aa:bb:02
                 -           user     -        -        52:54:00:aa:bb:01

                """);
        assertThat(CliRun.of(connection, "domblkstat", "g1", "vda").out())
                .isEqualTo("vda rd_req 5\nvda rd_bytes 2048\nvda wr_req 1\nvda wr_bytes 512\n\n");
        assertThat(CliRun.of(connection, "domifstat", "g1", "vnet3").out())
                .isEqualTo("vnet3 rx_bytes 100\nvnet3 rx_packets 2\nvnet3 rx_errs 0\nvnet3 rx_drop 0\n"
                        + "vnet3 tx_bytes 300\nvnet3 tx_packets 4\nvnet3 tx_errs 0\n\n");
    }
}
