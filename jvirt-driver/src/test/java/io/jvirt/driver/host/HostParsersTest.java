package io.jvirt.driver.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostParsersTest {

    @Test
    void cpuModelsAreTheAvailableSectionOnly() {
        String help = """
                Available CPUs:
                  486                   (alias configured by machine type)
                  486-v1
                  qemu64                (alias configured by machine type)
                  qemu64-v1             QEMU Virtual CPU version 2.5+

                Recognized CPUID flags:
                  3dnow 3dnowext abm
                """;
        assertThat(CpuModels.parse(help)).containsExactly("486", "486-v1", "qemu64", "qemu64-v1");
    }

    @Test
    void meminfoKeepsCountersOnly() {
        Map<String, Long> m =
                NodeStats.meminfo("MemTotal:        8000000 kB\nMemFree:  1234 kB\nHugePages_Total:       0\nbogus\n");
        assertThat(m)
                .containsEntry("MemTotal", 8000000L)
                .containsEntry("MemFree", 1234L)
                .containsEntry("HugePages_Total", 0L);
        assertThat(m).doesNotContainKey("bogus");
    }

    @Test
    void oneProcessorEntryPerSocket() {
        String cpuinfo = """
                processor\t: 0
                vendor_id\t: GenuineIntel
                model name\t: Example CPU
                physical id\t: 0

                processor\t: 1
                vendor_id\t: GenuineIntel
                model name\t: Example CPU
                physical id\t: 0

                processor\t: 2
                vendor_id\t: GenuineIntel
                model name\t: Example CPU
                physical id\t: 1
                """;
        List<Map<String, String>> sockets = Sysinfo.sockets(cpuinfo);
        assertThat(sockets).extracting(s -> s.get("physical id")).containsExactly("0", "1");
        assertThat(sockets.getFirst()).containsEntry("model name", "Example CPU");
    }
}
