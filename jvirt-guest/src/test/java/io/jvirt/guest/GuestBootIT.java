package io.jvirt.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorEvent;
import io.jvirt.qmp.RunState;
import io.jvirt.qmp.wire.QmpMonitor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots the real test guest under plain QEMU (TCG), with QMP for the power button. Prints build and boot times.
 */
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class GuestBootIT {
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(30);
    private static GuestImage image;

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void build() {
        long t0 = System.nanoTime();
        image = GuestBuilder.ensureBuilt();
        System.out.printf("guest build/cache check took %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, image);
    }

    @AfterEach
    void stopQemu() throws InterruptedException {
        for (Process qemu : started) {
            qemu.destroy();
            if (!qemu.waitFor(10, TimeUnit.SECONDS)) {
                qemu.destroyForcibly();
                qemu.waitFor();
            }
        }
    }

    private Process boot(GuestXml guest, long memoryMiB, boolean noShutdown) throws Exception {
        return boot(guest, memoryMiB, noShutdown, "");
    }

    private Process boot(GuestXml guest, long memoryMiB, boolean noShutdown, String extraCmdline) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                GuestXml.EMULATOR,
                "-accel",
                "tcg",
                "-machine",
                "pc",
                "-m",
                Long.toString(memoryMiB),
                "-smp",
                "1",
                "-nodefaults",
                "-display",
                "none",
                "-kernel",
                image.kernel().toString(),
                "-initrd",
                image.initrd().toString(),
                "-append",
                guest.kernelCmdline() + extraCmdline,
                "-serial",
                "file:" + guest.serialFile(),
                "-qmp",
                "unix:" + dir.resolve("qmp.sock") + ",server=on,wait=off"));
        if (noShutdown) {
            command.add("-no-shutdown");
        }
        Process qemu = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.out").toFile())
                .start();
        started.add(qemu);
        return qemu;
    }

    /**
     * Connects jvirt's QMP monitor to the booted guest's socket; {@code commandTimeout} bounds each command.
     * QMP serves one client at a time, so each test closes its monitor before any other connects.
     */
    private Monitor connectQmp(RecordingMonitorListener listener, Duration commandTimeout) throws Exception {
        return QmpMonitor.connect(dir.resolve("qmp.sock"), "guest-boot-it", listener, commandTimeout);
    }

    private String qemuOutput() throws Exception {
        Path out = dir.resolve("qemu.out");
        return Files.exists(out) ? Files.readString(out) : "";
    }

    @Test
    void idleGuestFillsTicksAndPowersOffOnTheAcpiButton() throws Exception {
        GuestXml guest =
                GuestXml.named("boot-idle").memoryMiB(512).fillMiB(384).seed(7).serialFile(dir.resolve("serial.log"));
        SerialLog serial = new SerialLog(guest.serialFile());
        long t0 = System.nanoTime();
        Process qemu = boot(guest, 512, true);

        GuestReady ready = serial.awaitReady(BOOT_TIMEOUT);
        long bootMs = (System.nanoTime() - t0) / 1_000_000;
        GuestTick atReady = serial.latest().orElseThrow();
        System.out.printf(
                "512 MiB guest, 384 MiB filled: ready %d ms after QEMU started (guest uptime %d ms)%n",
                bootMs, atReady.uptimeMs());
        assertThat(ready).isEqualTo(new GuestReady(384, 7));

        GuestTick later = serial.awaitTickAfter(atReady.tick() + 8, Duration.ofSeconds(30));
        List<GuestTick> ticks = serial.ticks();
        assertThat(ticks).extracting(GuestTick::tick).doesNotHaveDuplicates().isSorted();
        assertThat(ticks.getLast().tick() - ticks.getFirst().tick() + 1)
                .as("no tick numbers skipped")
                .isEqualTo(ticks.size());
        assertThat(ticks).extracting(GuestTick::uptimeMs).isSorted();
        assertThat(ticks).allMatch(GuestTick::patternOk).allMatch(t -> t.dirtyMibps() == 0);
        serial.awaitSweeps(1, Duration.ofSeconds(120));
        System.out.printf(
                "first full check of 384 MiB took %d ms after ready (idle guest)%n",
                (System.nanoTime() - t0) / 1_000_000 - bootMs);
        assertThat(serial.latest()).map(GuestTick::patternOk).contains(true);
        assertThat(later.uptimeMs() - atReady.uptimeMs())
                .as("ticks keep a cadence of at most 500 ms")
                .isBetween(1L, (later.tick() - atReady.tick()) * 500);

        RecordingMonitorListener events = new RecordingMonitorListener();
        try (Monitor qmp = connectQmp(events, QMP_TIMEOUT)) {
            qmp.systemPowerdown();
            MonitorEvent.Shutdown shutdown = events.awaitEvent(MonitorEvent.Shutdown.class, QMP_TIMEOUT);
            assertThat(shutdown.guest()).as("the guest itself shut down").isTrue();
            assertThat(shutdown.reason()).isEqualTo("guest-shutdown");
            assertThat(qmp.queryStatus().state()).isEqualTo(RunState.SHUTDOWN);
        }
        assertThat(Files.readString(guest.serialFile(), StandardCharsets.ISO_8859_1))
                .contains("jvirt-guest powerdown");
        assertThat(qemu.isAlive()).as("-no-shutdown keeps QEMU running").isTrue();
    }

    @Test
    void dirtyingGuestKeepsItsPatternAndQemuExitsOnPowerOff() throws Exception {
        GuestXml guest = GuestXml.named("boot-dirty")
                .memoryMiB(512)
                .fillMiB(384)
                .dirtyMibps(100)
                .seed(3)
                .serialFile(dir.resolve("serial.log"));
        SerialLog serial = new SerialLog(guest.serialFile());
        Process qemu = boot(guest, 512, false);
        serial.awaitReady(BOOT_TIMEOUT);
        long readyTick = serial.latest().orElseThrow().tick();

        RecordingMonitorListener events = new RecordingMonitorListener();
        try (Monitor qmp = connectQmp(events, QMP_TIMEOUT)) {
            double rate = measureDirtyRate(qmp);
            System.out.printf("guest configured for 100 MiB/s: QEMU measured a dirty rate of %.0f MB/s%n", rate);
            assertThat(rate).as("the guest rewrites memory").isGreaterThan(10);

            GuestTick later = serial.awaitTickAfter(readyTick + 20, Duration.ofSeconds(60));
            assertThat(later.dirtyMibps()).isEqualTo(100);
            assertThat(serial.ticks()).allMatch(GuestTick::patternOk);

            qmp.systemPowerdown();
            assertThat(events.awaitEvent(MonitorEvent.Shutdown.class, QMP_TIMEOUT)
                            .reason())
                    .isEqualTo("guest-shutdown");
        }
        assertThat(qemu.waitFor(30, TimeUnit.SECONDS))
                .as("QEMU exits without -no-shutdown")
                .isTrue();
        assertThat(qemu.exitValue()).as(qemuOutput()).isZero();
    }

    @Test
    void guestMemoryCompressesWell() throws Exception {
        GuestXml guest =
                GuestXml.named("boot-dump").memoryMiB(512).fillMiB(384).seed(11).serialFile(dir.resolve("serial.log"));
        SerialLog serial = new SerialLog(guest.serialFile());
        boot(guest, 512, true);
        serial.awaitReady(BOOT_TIMEOUT);
        Path dump = dir.resolve("guest.dump");
        // dump-guest-memory answers only once the dump is written, hence the long command timeout.
        try (Monitor qmp = connectQmp(new RecordingMonitorListener(), Duration.ofMinutes(3))) {
            assertThat(qmp.execute("dump-guest-memory", Map.of("paging", false, "protocol", "file:" + dump)))
                    .as("dump-guest-memory returns an empty object")
                    .isEmpty();
        }
        Path gz = dir.resolve("guest.dump.gz");
        Process gzip = new ProcessBuilder("gzip", "-1", "-c", dump.toString())
                .redirectOutput(gz.toFile())
                .start();
        assertThat(gzip.waitFor(3, TimeUnit.MINUTES)).isTrue();
        long raw = Files.size(dump);
        long packed = Files.size(gz);
        System.out.printf(
                "dump of a 512 MiB guest with 384 MiB filled: %d MiB raw, gzip -1 %d MiB (%.1f%%)%n",
                raw >> 20, packed >> 20, 100.0 * packed / raw);
        assertThat(raw).isGreaterThan(512L << 20);
        assertThat(packed).as("gzip -1 of guest RAM").isLessThan(raw / 3);
        assertThat(serial.latest()).map(GuestTick::patternOk).contains(true);
    }

    @Test
    void oneGibGuestDirtyingFastStillTicks() throws Exception {
        GuestXml guest = GuestXml.named("boot-big")
                .memoryMiB(1024)
                .fillMiB(512)
                .dirtyMibps(400)
                .seed(5)
                .serialFile(dir.resolve("serial.log"));
        SerialLog serial = new SerialLog(guest.serialFile());
        long t0 = System.nanoTime();
        boot(guest, 1024, false);
        assertThat(serial.awaitReady(BOOT_TIMEOUT)).isEqualTo(new GuestReady(512, 5));
        System.out.printf(
                "1 GiB guest, 512 MiB filled: ready %d ms after QEMU started%n", (System.nanoTime() - t0) / 1_000_000);
        GuestTick atReady = serial.latest().orElseThrow();
        try (Monitor qmp = connectQmp(new RecordingMonitorListener(), QMP_TIMEOUT)) {
            System.out.printf(
                    "guest configured for 400 MiB/s: QEMU measured a dirty rate of %.0f MB/s%n", measureDirtyRate(qmp));
        }
        GuestTick later = serial.awaitTickAfter(atReady.tick() + 12, Duration.ofSeconds(30));
        List<GuestTick> ticks = serial.ticks();
        assertThat(ticks)
                .allMatch(GuestTick::patternOk)
                .last()
                .extracting(GuestTick::dirtyMibps)
                .isEqualTo(400L);
        long longestGap = 0;
        for (int i = 1; i < ticks.size(); i++) {
            longestGap = Math.max(
                    longestGap, ticks.get(i).uptimeMs() - ticks.get(i - 1).uptimeMs());
        }
        System.out.printf("longest gap between ticks while dirtying at 400 MiB/s: %d ms%n", longestGap);
        assertThat(later.uptimeMs() - atReady.uptimeMs())
                .as("ticks keep a cadence of at most 500 ms")
                .isLessThanOrEqualTo((later.tick() - atReady.tick()) * 500);
    }

    @Test
    void aCorruptedByteIsReportedWithItsOffset() throws Exception {
        GuestXml guest = GuestXml.named("boot-corrupt")
                .memoryMiB(256)
                .fillMiB(32)
                .seed(9)
                .serialFile(dir.resolve("serial.log"));
        SerialLog serial = new SerialLog(guest.serialFile());
        boot(guest, 256, false, " jvirt.corrupt=0x123457");
        serial.awaitReady(BOOT_TIMEOUT);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        GuestTick tick = serial.latest().orElseThrow();
        while (tick.patternOk() && System.nanoTime() < deadline) {
            tick = serial.awaitTickAfter(tick.tick(), Duration.ofSeconds(10));
        }
        assertThat(tick.patternOk()).as("the sweep finds the flipped byte").isFalse();
        assertThat(tick.badOffset()).isEqualTo(0x123457L);
        assertThat(serial.sweeps())
                .as("the flipped byte was found within the first full sweep")
                .isLessThanOrEqualTo(1);
        GuestTick next = serial.awaitTickAfter(tick.tick(), Duration.ofSeconds(10));
        assertThat(next.patternOk()).as("a mismatch is sticky").isFalse();
    }

    /** QEMU's own sampling estimate of the guest's dirty rate, in MB/s. */
    private static double measureDirtyRate(Monitor qmp) throws Exception {
        assertThat(qmp.execute("calc-dirty-rate", Map.of("calc-time", 2)))
                .as("calc-dirty-rate returns an empty object")
                .isEmpty();
        Map<String, Object> measured = await("calc-dirty-rate to finish")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> qmp.execute("query-dirty-rate", null),
                        reply -> "measured".equals(reply.get("status")) && reply.get("dirty-rate") instanceof Number);
        return ((Number) measured.get("dirty-rate")).doubleValue();
    }
}
