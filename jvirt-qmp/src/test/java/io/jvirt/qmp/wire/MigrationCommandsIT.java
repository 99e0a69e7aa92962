package io.jvirt.qmp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.jvirt.nativeio.FdInputStream;
import io.jvirt.nativeio.FdOutputStream;
import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.Pipe;
import io.jvirt.qmp.DumpState;
import io.jvirt.qmp.DumpStatus;
import io.jvirt.qmp.MigrationParameters;
import io.jvirt.qmp.MigrationStats;
import io.jvirt.qmp.MigrationStatus;
import io.jvirt.qmp.MonitorEvent;
import io.jvirt.qmp.QmpCommandException;
import io.jvirt.qmp.RunState;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration and dump commands against real QEMU 10.0.2: a save through a pipe into a file and a restore from it into
 * a second QEMU started with {@code -incoming defer}, a cancelled slow migration, a detached memory dump.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a QEMU that hangs fails the class instead of CI
class MigrationCommandsIT {
    private static final int PIPE_BYTES = 1 << 20;
    private static final int IO_CHUNK = 64 * 1024;

    @TempDir
    Path dir;

    private final List<ScratchQemu> started = new ArrayList<>();

    @AfterEach
    void killQemus() throws Exception {
        for (ScratchQemu qemu : started) {
            qemu.close();
        }
    }

    private ScratchQemu qemu(String name, String memoryMiB, String... extra) throws Exception {
        ScratchQemu qemu = ScratchQemu.start(dir, name, memoryMiB, extra);
        started.add(qemu);
        qemu.monitor.setMigrateCapabilities(Map.of("events", true));
        return qemu;
    }

    /** Runs {@code job} on a platform thread: blocking FFM pipe I/O must not pin a virtual thread's carrier. */
    private static <T> FutureTask<T> onPlatformThread(String name, Callable<T> job) {
        FutureTask<T> task = new FutureTask<>(job);
        Thread.ofPlatform().name(name).daemon(true).start(task);
        return task;
    }

    /** Gives QEMU the write end of a new pipe under {@code fdName}; a platform thread copies the read end to {@code sink}. */
    private static FutureTask<Long> drainOutgoing(ScratchQemu qemu, String fdName, Path sink) throws Exception {
        Pipe pipe = Pipe.open(PIPE_BYTES);
        try {
            qemu.monitor.getfd(fdName, pipe.writeFd());
        } catch (Exception e) {
            NativeFds.closeQuietly(pipe.readFd());
            throw e;
        } finally {
            // QEMU has its own copy now; ours would keep the reader from ever seeing end of file.
            NativeFds.closeQuietly(pipe.writeFd());
        }
        return onPlatformThread("drain-" + fdName, () -> {
            try (InputStream in = new FdInputStream(pipe.readFd(), IO_CHUNK);
                    OutputStream out = Files.newOutputStream(sink)) {
                return in.transferTo(out);
            }
        });
    }

    @Test
    void savedThroughAPipeThenRestoredIntoADeferredIncomingQemu() throws Exception {
        ScratchQemu source = qemu("source", "64");
        source.monitor.setMigrateParameters(Map.of("max-bandwidth", 1L << 40, "downtime-limit", 500));
        MigrationParameters params = source.monitor.queryMigrateParameters();
        assertThat(params.maxBandwidth()).isEqualTo(1L << 40);
        assertThat(params.downtimeLimitMs()).isEqualTo(500);
        assertThat(source.monitor.queryMigrateCapabilities())
                .containsEntry("events", true)
                .containsKey("postcopy-ram");
        assertThat(source.monitor.queryMigrate().status()).isEqualTo(MigrationStatus.NONE);
        source.monitor.cont();
        source.monitor.stop();

        Path image = dir.resolve("image");
        FutureTask<Long> reader = drainOutgoing(source, "migrate", image);
        source.monitor.migrate("fd:migrate");
        source.awaitMigrationEvent(MigrationStatus.COMPLETED);
        long bytesRead = reader.get(ScratchQemu.TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        MigrationStats done = source.monitor.queryMigrate();
        assertThat(done.status()).isEqualTo(MigrationStatus.COMPLETED);
        assertThat(done.errorDesc()).isNull();
        assertThat(done.ram().transferredBytes()).isPositive().isCloseTo(bytesRead, within(4096L));
        assertThat(done.ram().totalBytes()).isGreaterThanOrEqualTo(64L << 20);
        assertThat(done.ram().remainingBytes()).isZero();
        assertThat(done.ram().pageSize()).isEqualTo(4096);
        assertThat(done.totalTimeMs()).isPositive();
        assertThat(Files.size(image)).isEqualTo(bytesRead);
        assertThat(source.listener.events())
                .filteredOn(MonitorEvent.Migration.class::isInstance)
                .extracting(e -> ((MonitorEvent.Migration) e).state())
                .startsWith(MigrationStatus.SETUP)
                .endsWith(MigrationStatus.COMPLETED);
        assertThat(source.monitor.queryStatus().state()).isEqualTo(RunState.POSTMIGRATE);

        ScratchQemu target = qemu("target", "64", "-incoming", "defer");
        assertThat(target.monitor.queryStatus().state()).isEqualTo(RunState.INMIGRATE);
        Pipe pipe = Pipe.open(PIPE_BYTES);
        try {
            target.monitor.getfd("incoming", pipe.readFd());
        } finally {
            NativeFds.closeQuietly(pipe.readFd());
        }
        FutureTask<Long> writer = onPlatformThread("feed-incoming", () -> {
            try (InputStream in = Files.newInputStream(image);
                    OutputStream out = new FdOutputStream(pipe.writeFd(), IO_CHUNK)) {
                return in.transferTo(out);
            }
        });
        target.monitor.migrateIncoming("fd:incoming");
        target.awaitMigrationEvent(MigrationStatus.COMPLETED);
        assertThat(writer.get(ScratchQemu.TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(bytesRead);

        assertThat(target.monitor.queryMigrate().status()).isEqualTo(MigrationStatus.COMPLETED);
        assertThat(target.monitor.queryStatus().state())
                .as("the source was paused when saved")
                .isEqualTo(RunState.PAUSED);
        target.monitor.cont();
        assertThat(target.monitor.queryStatus().state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void cancellingASlowMigrationEndsItCancelledAndClosesTheStream() throws Exception {
        ScratchQemu source = qemu("slow", "256");
        // 64 KiB/s against 256 MiB of RAM keeps the migration active for many seconds.
        source.monitor.setMigrateParameters(Map.of("max-bandwidth", 64 * 1024));
        FutureTask<Long> reader = drainOutgoing(source, "migrate", Path.of("/dev/null"));
        source.monitor.migrate("fd:migrate");
        source.awaitMigrationEvent(MigrationStatus.ACTIVE);
        assertThat(source.monitor.queryMigrate().status()).isEqualTo(MigrationStatus.ACTIVE);

        source.monitor.migrateCancel();
        source.awaitMigrationEvent(MigrationStatus.CANCELLED);
        long bytesRead = reader.get(ScratchQemu.TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        MigrationStats cancelled = source.monitor.queryMigrate();
        assertThat(cancelled.status()).isEqualTo(MigrationStatus.CANCELLED);
        assertThat(cancelled.status().isFinished()).isTrue();
        assertThat(bytesRead)
                .as("data flowed before the cancel, and QEMU closed the stream after it")
                .isPositive();
        assertThat(source.listener.events())
                .filteredOn(MonitorEvent.Migration.class::isInstance)
                .extracting(e -> ((MonitorEvent.Migration) e).state())
                .containsSubsequence(MigrationStatus.ACTIVE, MigrationStatus.CANCELLING, MigrationStatus.CANCELLED)
                .doesNotContain(MigrationStatus.COMPLETED);
        assertThat(source.monitor.queryStatus().state())
                .as("a cancelled migration leaves the guest where it was")
                .isEqualTo(RunState.PRELAUNCH);
    }

    @Test
    void migratingToAnFdNameThisConnectionNeverPassedFailsWithQemusReason() throws Exception {
        ScratchQemu source = qemu("nofd", "64");
        assertThatThrownBy(() -> source.monitor.migrate("fd:nosuch"))
                .isInstanceOfSatisfying(
                        QmpCommandException.class,
                        e -> assertThat(e.description()).contains("nosuch"));
        MigrationStats failed = source.monitor.queryMigrate();
        assertThat(failed.status()).isEqualTo(MigrationStatus.FAILED);
        assertThat(failed.errorDesc()).contains("nosuch");
    }

    @Test
    void detachedMemoryDumpThroughAPipeReportsProgressAndCompletion() throws Exception {
        ScratchQemu guest = qemu("dump", "64");
        assertThat(guest.monitor.queryDump().state()).isEqualTo(DumpState.NONE);
        Path core = dir.resolve("core.elf");
        FutureTask<Long> reader = drainOutgoing(guest, "dump", core);
        guest.monitor.dumpGuestMemory("fd:dump", false, "elf", true);

        await().atMost(ScratchQemu.TIMEOUT)
                .until(() -> guest.listener.events().stream().anyMatch(MonitorEvent.DumpCompleted.class::isInstance));
        MonitorEvent.DumpCompleted completed = guest.listener.events().stream()
                .filter(MonitorEvent.DumpCompleted.class::isInstance)
                .map(MonitorEvent.DumpCompleted.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(completed.error()).isNull();
        assertThat(completed.result().state()).isEqualTo(DumpState.COMPLETED);
        assertThat(completed.result().totalBytes()).isGreaterThanOrEqualTo(60L << 20);
        assertThat(completed.result().completedBytes())
                .isEqualTo(completed.result().totalBytes());

        DumpStatus status = guest.monitor.queryDump();
        assertThat(status).isEqualTo(completed.result());
        long bytesRead = reader.get(ScratchQemu.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(bytesRead).as("ELF headers plus every byte of guest memory").isGreaterThan(status.totalBytes());
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(core)) {
            assertThat(in.read(magic)).isEqualTo(4);
        }
        assertThat(magic).containsExactly(0x7f, 'E', 'L', 'F');
    }

    @Test
    void dumpWithAFormatQemuDoesNotKnowIsRefused() throws Exception {
        ScratchQemu guest = qemu("badformat", "64");
        assertThatThrownBy(() -> guest.monitor.dumpGuestMemory("file:" + dir.resolve("x"), false, "bogus", false))
                .isInstanceOf(QmpCommandException.class)
                .hasMessageContaining("bogus");
        assertThat(guest.monitor.queryDump().state()).isEqualTo(DumpState.NONE);
    }

    @Test
    void capabilityAndPostcopyErrorsComeBackFromQemu() throws Exception {
        ScratchQemu guest = qemu("caps", "64");
        assertThatThrownBy(() -> guest.monitor.setMigrateCapabilities(Map.of("bogus", true)))
                .isInstanceOf(QmpCommandException.class)
                .hasMessageContaining("bogus");
        assertThatThrownBy(guest.monitor::migrateStartPostcopy)
                .isInstanceOf(QmpCommandException.class)
                .hasMessageContaining("postcopy");
        assertThat(guest.monitor.queryMigrateCapabilities())
                .containsEntry("events", true)
                .containsEntry("postcopy-ram", false);
    }
}
