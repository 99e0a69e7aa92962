package io.jvirt.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
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

    @Test
    void parsesTheDiskStateWhenTheGuestRunsTheDiskWorkload() {
        assertThat(GuestTick.parse("jvirt-guest tick=9 uptime_ms=4000 dirty_mibps=0 pattern=ok disk_writes=2048 "
                        + "disk_pass=5 disk=ok\r"))
                .contains(new GuestTick(9, 4000, 0, true, -1, Optional.of(new DiskTick(2048, 5, true, -1))));
        GuestTick bad = GuestTick.parse("jvirt-guest tick=10 uptime_ms=4250 dirty_mibps=0 pattern=BAD@0x10 "
                        + "disk_writes=2300 disk_pass=5 disk=BAD@8001")
                .orElseThrow();
        assertThat(bad.patternOk()).isFalse();
        assertThat(bad.disk()).contains(new DiskTick(2300, 5, false, 8001));
        assertThat(GuestTick.parse("jvirt-guest tick=3 uptime_ms=900 dirty_mibps=5 pattern=ok"))
                .map(GuestTick::disk)
                .contains(Optional.empty());
    }

    @Test
    void rejectsATornDiskState() {
        assertThat(GuestTick.parse("jvirt-guest tick=3 uptime_ms=900 dirty_mibps=5 pattern=ok disk_writes=1 disk_pa"))
                .isEmpty();
        assertThat(
                        GuestTick.parse(
                                "jvirt-guest tick=3 uptime_ms=900 dirty_mibps=5 pattern=ok disk_writes=1 disk_pass=0 disk=BAD@"))
                .isEmpty();
    }
}
