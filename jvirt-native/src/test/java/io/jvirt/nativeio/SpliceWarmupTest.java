package io.jvirt.nativeio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpliceWarmupTest {
    @Test
    void theWarmupCarriesEveryPacketThroughAndLeavesSplicingOn() {
        long t0 = System.nanoTime();
        assertThat(SpliceWarmup.run()).isTrue();
        System.out.printf("[test] splice warm-up: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(SpliceSocket.available()).isTrue();
    }
}
