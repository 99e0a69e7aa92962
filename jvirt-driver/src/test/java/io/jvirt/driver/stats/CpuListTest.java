package io.jvirt.driver.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuListTest {

    @Test
    void rangesAndSingles() {
        assertThat(CpuList.parse("0-3,6\n")).containsExactly(0, 1, 2, 3, 6);
        assertThat(CpuList.parse("5")).containsExactly(5);
        assertThat(CpuList.parse(" ")).isEmpty();
    }

    @Test
    void allowedListOfAStatusFile() {
        assertThat(ThreadStat.allowed("Name:\tqemu\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n"))
                .containsExactly(0, 1);
    }

    @Test
    void waitSumOfASchedFile() {
        assertThat(ThreadStat.waitSumNs("se.exec_start : 1.0\nse.statistics.wait_sum  :   12.500000\n"))
                .isEqualTo(12_500_000L);
        assertThat(ThreadStat.waitSumNs("se.exec_start : 1.0\n")).isZero();
    }
}
