package io.jvirt.driver.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** argv/bridge.xml: tap-backed NICs as libvirt 11 writes them, with the fds jvirt passes. */
class NetCommandLineTest {

    private static DomainDef live() throws IOException {
        return LiveDefinition.prepare(
                DomainXml.parse(QemuCommandLineTest.resource("bridge.xml")), 4, new DisplayPorts());
    }

    @Test
    void tapNicsNameThePassedFdsAndUserNicsStayUser() throws IOException {
        PassedFds passed = new PassedFds();
        int tap0 = passed.pass(40);
        int vhost0 = passed.pass(41);
        int tap1 = passed.pass(42);
        int tap2 = passed.pass(43);
        Map<String, NetFds> fds = Map.of(
                "net0", new NetFds(tap0, vhost0),
                "net1", new NetFds(tap1, null),
                "net2", new NetFds(tap2, null));

        List<String> argv =
                QemuCommandLine.build(live(), QemuCommandLineTest.SETTINGS, QemuCommandLineTest.MONITOR, false, fds);

        assertThat(passed.fds()).containsExactly(40, 41, 42, 43);
        assertThat(argv)
                .containsSubsequence(
                        "-netdev",
                        "{\"type\":\"tap\",\"fd\":\"3\",\"vhost\":true,\"vhostfd\":\"4\",\"id\":\"hostnet0\"}",
                        "-device",
                        "{\"driver\":\"virtio-net-pci\",\"host_mtu\":9000,\"netdev\":\"hostnet0\",\"id\":\"net0\","
                                + "\"mac\":\"52:54:00:aa:00:01\"}",
                        "-netdev",
                        "{\"type\":\"tap\",\"fd\":\"5\",\"id\":\"hostnet1\"}",
                        "-device",
                        "{\"driver\":\"e1000\",\"netdev\":\"hostnet1\",\"id\":\"net1\",\"mac\":\"52:54:00:aa:00:02\"}",
                        "-netdev",
                        "{\"type\":\"tap\",\"fd\":\"6\",\"id\":\"hostnet2\"}",
                        "-device",
                        "{\"driver\":\"virtio-net-pci\",\"netdev\":\"hostnet2\",\"id\":\"net2\",\"mac\":\"52:54:00:aa:00:03\"}",
                        "-netdev",
                        "user,id=hostnet3",
                        "-device",
                        "{\"driver\":\"virtio-net-pci\",\"netdev\":\"hostnet3\",\"id\":\"net3\",\"mac\":\"52:54:00:aa:00:04\"}");
        assertThat(String.join(" ", argv)).doesNotContain("link");
    }
}
