package io.jvirt.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerialLogTest {
    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("serial.log");
    }

    private void append(String text) throws IOException {
        append(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void append(byte[] bytes) throws IOException {
        Files.write(log(), bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String tick(long n, long uptime) {
        return "jvirt-guest tick=" + n + " uptime_ms=" + uptime + " dirty_mibps=50 pattern=ok\r\n";
    }

    @Test
    void aMissingFileHasNoTicksYet() {
        SerialLog serial = new SerialLog(log());
        assertThat(serial.ticks()).isEmpty();
        assertThat(serial.latest()).isEmpty();
        assertThat(serial.ready()).isFalse();
    }

    @Test
    void readsTicksAsTheFileGrowsAndWaitsForAPartialLineToFinish() throws IOException {
        SerialLog serial = new SerialLog(log());
        append("\u001b[2J\u001b[01;01HSeaBIOS (version 1.16)\r\n"
                + "jvirt-guest start fill_mib=8 dirty_mibps=50 seed=7\r\n" + tick(0, 1000) + tick(1, 1250));
        assertThat(serial.ticks()).extracting(GuestTick::tick).containsExactly(0L, 1L);

        append("jvirt-guest tick=2 uptime_ms=15");
        assertThat(serial.latest()).map(GuestTick::tick).contains(1L);

        append("00 dirty_mibps=50 pattern=ok\r\njvirt-guest ready fill_mib=8 seed=7\r\n");
        assertThat(serial.latest()).contains(new GuestTick(2, 1500, 50, true, -1));
        assertThat(serial.readyLine()).contains(new GuestReady(8, 7));
    }

    @Test
    void survivesJunkBytesAndAnOverlongLine() throws IOException {
        SerialLog serial = new SerialLog(log());
        byte[] junk = new byte[200 * 1024];
        Arrays.fill(junk, (byte) 0xff);
        junk[100] = 0;
        junk[101] = 0x1b;
        append(junk);
        assertThat(serial.ticks()).isEmpty();
        append("\n" + tick(5, 2000));
        append(new byte[] {(byte) 0xfe, 0x07, '\r', '\n'});
        append(tick(6, 2250));
        assertThat(serial.ticks()).extracting(GuestTick::tick).containsExactly(5L, 6L);
    }

    @Test
    void countsCompletedSweeps() throws IOException {
        SerialLog serial = new SerialLog(log());
        append("jvirt-guest start fill_mib=8 dirty_mibps=0 seed=1\n" + tick(0, 900)
                + "jvirt-guest sweep=1 uptime_ms=3000\r\n" + tick(1, 3100));
        assertThat(serial.sweeps()).isEqualTo(1);
        append("jvirt-guest sweep=2 uptime_ms=5000\r\n");
        assertThat(serial.awaitSweeps(2, Duration.ofSeconds(1))).isEqualTo(2);
        assertThatThrownBy(() -> serial.awaitSweeps(3, Duration.ofMillis(100))).hasMessageContaining("sweep 3");
    }

    @Test
    void aNewBootStartsOver() throws IOException {
        SerialLog serial = new SerialLog(log());
        append("jvirt-guest start fill_mib=8 dirty_mibps=0 seed=1\n" + tick(0, 900) + tick(1, 1150)
                + "jvirt-guest ready fill_mib=8 seed=1\n" + tick(2, 1400));
        assertThat(serial.ready()).isTrue();
        append("jvirt-guest start fill_mib=8 dirty_mibps=0 seed=1\n" + tick(0, 950));
        assertThat(serial.boots()).isEqualTo(2);
        assertThat(serial.ready()).isFalse();
        assertThat(serial.ticks()).extracting(GuestTick::uptimeMs).containsExactly(950L);
    }

    @Test
    void aTruncatedFileIsReadAgainFromItsStart() throws IOException {
        SerialLog serial = new SerialLog(log());
        append(tick(10, 5000) + tick(11, 5250));
        assertThat(serial.latest()).map(GuestTick::tick).contains(11L);
        Files.writeString(log(), tick(0, 700), StandardCharsets.ISO_8859_1);
        assertThat(serial.ticks()).extracting(GuestTick::tick).containsExactly(0L);
    }

    @Test
    void awaitTickAfterReturnsTheFirstLaterTickEvenWhenWrittenMeanwhile() throws Exception {
        SerialLog serial = new SerialLog(log());
        append(tick(3, 1000));
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                append(tick(4, 1250) + tick(5, 1500));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        GuestTick next = serial.awaitTickAfter(3, Duration.ofSeconds(10));
        writer.join();
        assertThat(next.tick()).isEqualTo(4);
        assertThat(serial.awaitTickAfter(4, Duration.ofSeconds(1)).tick()).isEqualTo(5);
    }

    @Test
    void awaitTimesOutQuotingTheLastLines() throws IOException {
        SerialLog serial = new SerialLog(log());
        append("Kernel panic - not syncing: VFS\n" + tick(3, 1000));
        assertThatThrownBy(() -> serial.awaitTickAfter(3, Duration.ofMillis(200)))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_TIMEOUT))
                .hasMessageContaining("a tick after 3")
                .hasMessageContaining("Kernel panic - not syncing")
                .hasMessageContaining(log().toString());
        assertThatThrownBy(() -> serial.awaitReady(Duration.ofMillis(100))).hasMessageContaining("ready line");
    }

    @Test
    void followsTheDiskWorkloadsPassesAndItsCountAtPowerOff() throws IOException {
        SerialLog serial = new SerialLog(log());
        append("jvirt-guest start fill_mib=8 dirty_mibps=0 seed=1\n" + tick(0, 900));
        assertThat(serial.diskPasses()).isZero();
        append("jvirt-guest tick=1 uptime_ms=1150 dirty_mibps=0 pattern=ok disk_writes=512 disk_pass=3 disk=ok\r\n");
        assertThat(serial.diskPasses()).isEqualTo(3);
        assertThat(serial.awaitDiskPasses(3, Duration.ofSeconds(1))).isEqualTo(3);
        assertThatThrownBy(() -> serial.awaitDiskPasses(4, Duration.ofMillis(100)))
                .hasMessageContaining("disk pass 4");
        assertThat(serial.diskWritesAtPowerdown()).isEmpty();
        assertThat(serial.poweredDown()).isFalse();
        append("jvirt-guest powerdown disk_writes=640\r\n");
        assertThat(serial.poweredDown()).isTrue();
        assertThat(serial.diskWritesAtPowerdown()).hasValue(640);
        append("jvirt-guest start fill_mib=8 dirty_mibps=0 seed=1\n" + tick(0, 900) + "jvirt-guest powerdown\n");
        assertThat(serial.poweredDown()).isTrue();
        assertThat(serial.diskWritesAtPowerdown()).isEmpty();
        assertThat(serial.diskPasses()).isZero();
    }
}
