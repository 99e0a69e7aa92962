package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.rpc.proto.ConnectWire.NodeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HostInfoTest {
    @Test
    void nodeInfoFromProcFiles() {
        List<String> cpuinfo = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            cpuinfo.addAll(List.of(
                    "processor\t: " + i,
                    "physical id\t: " + (i / 4),
                    "siblings\t: 4",
                    "cpu cores\t: 2",
                    "cpu MHz\t\t: 2445.406",
                    ""));
        }
        NodeInfo n = HostInfo.nodeInfo(cpuinfo, List.of("MemTotal:       24683656 kB", "MemFree: 1 kB"), "amd64");
        assertThat(n).isEqualTo(new NodeInfo("x86_64", 24_683_656, 8, 2445, 1, 2, 2, 2));
    }

    @Test
    void capabilitiesNameTheHostAndAnHvmQemuGuest() {
        UUID host = UUID.randomUUID();
        String caps = HostInfo.capabilities(host);
        assertThat(caps)
                .contains(
                        "<uuid>" + host + "</uuid>",
                        "<os_type>hvm</os_type>",
                        "<arch name='x86_64'>",
                        "<domain type='qemu'/>");
    }
}
