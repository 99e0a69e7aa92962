package io.jvirt.guest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GuestTickTest {
    @Test
    void parsesAHealthyTick() {
        assertThat(GuestTick.parse("jvirt-guest tick=42 uptime_ms=10500 dirty_mibps=100 pattern=ok"))
                .contains(new GuestTick(42, 10500, 100, true, -1));
    }

    @Test
    void parsesAMismatchWithItsHexOffset() {
        GuestTick tick = GuestTick.parse("jvirt-guest tick=7 uptime_ms=3000 dirty_mibps=0 pattern=BAD@0x1f2a08\r")
                .orElseThrow();
        assertThat(tick.patternOk()).isFalse();
        assertThat(tick.badOffset()).isEqualTo(0x1f2a08L);
    }

    @Test
    void toleratesJunkBeforeTheTick() {
        String line = "\u001b[2J\u001b[01;01H\u0000\u00ffjvirt-guest tick=3 uptime_ms=900 dirty_mibps=5 pattern=ok";
        assertThat(GuestTick.parse(line)).map(GuestTick::tick).contains(3L);
    }

    @Test
    void rejectsPartialAndForeignLines() {
        assertThat(GuestTick.parse("jvirt-guest tick=3 uptime_ms=900 dirty_mibps=5 pattern=o"))
                .isEmpty();
        assertThat(GuestTick.parse("jvirt-guest tick=3 uptime_ms=9")).isEmpty();
        assertThat(GuestTick.parse("jvirt-guest ready fill_mib=384 seed=7")).isEmpty();
        assertThat(GuestTick.parse("[    1.234] serial8250: ttyS0 at I/O 0x3f8"))
                .isEmpty();
        assertThat(GuestTick.parse("")).isEmpty();
    }

    @Test
    void rejectsNumbersTooLongForALong() {
        assertThat(GuestTick.parse("jvirt-guest tick=99999999999999999999 uptime_ms=1 dirty_mibps=0 pattern=ok"))
                .isEmpty();
    }

    @Test
    void parsesTheReadyLine() {
        assertThat(GuestReady.parse("\u001b[0mjvirt-guest ready fill_mib=384 seed=7\r"))
                .contains(new GuestReady(384, 7));
        assertThat(GuestReady.parse("jvirt-guest ready fill_mib=38")).isEmpty();
    }
}
