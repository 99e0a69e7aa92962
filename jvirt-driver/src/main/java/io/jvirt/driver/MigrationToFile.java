package io.jvirt.driver;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.domain.MigrationWaitEnd;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.job.DomainJob;
import io.jvirt.driver.job.JobProgress;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.driver.save.SaveWriter;
import io.jvirt.qmp.MigrationRamStats;
import io.jvirt.qmp.MigrationStats;
import io.jvirt.qmp.MigrationStatus;
import io.jvirt.qmp.Monitor;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * The seed's qemuMigrationToFile: QEMU's migration stream written through {@code fd:} into a pipe that jvirt owns
 * and pumps into a file (through a compressor it spawns itself when asked). One code path for save and for the
 * default core dump. The job can be watched (QEMU's statistics) and aborted while it runs: abort closes our end of
 * the pipe first, then cancels QEMU's migration, so QEMU never blocks writing into a pipe nobody reads.
 *
 * <p>Threading: runs on the job's caller thread; the pump runs on its own platform thread.
 */
final class MigrationToFile {
    static final String FD_NAME = "migrate";
    /** QEMU caps migration at 128 MiB/s unless told otherwise; a file has no reason to be throttled. */
    static final long UNLIMITED_BANDWIDTH = Long.MAX_VALUE / 2;

    private static final long RECHECK_MILLIS = 500;
    private static final Duration PUMP_DRAIN = Duration.ofMinutes(2);

    private MigrationToFile() {}

    /** Runs the migration into {@code writer}; returns when the file has everything, or throws after cleaning up. */
    static void run(String name, QemuRun run, DomainJob job, SaveWriter writer) {
        Monitor monitor = run.monitor();
        job.setProgress(() -> progress(monitor));
        job.setAbortHook(() -> {
            writer.abort();
            try {
                monitor.migrateCancel();
            } catch (IOException ignored) {
                // the migration fails on its own once the pipe is gone
            }
        });
        long bandwidth =
                MonitorCalls.call(name, () -> monitor.queryMigrateParameters().maxBandwidth());
        try {
            MonitorCalls.run(name, () -> {
                monitor.setMigrateCapabilities(Map.of("events", true));
                monitor.setMigrateParameters(Map.of("max-bandwidth", UNLIMITED_BANDWIDTH));
            });
            run.resetMigrationStatus();
            MonitorCalls.run(name, () -> monitor.getfd(FD_NAME, writer.qemuFd()));
            writer.closeQemuFd(); // QEMU holds its own copy now; ours would keep the pipe from ever reaching EOF
            if (job.abortRequested()) {
                throw aborted(job);
            }
            MonitorCalls.run(name, () -> monitor.migrate("fd:" + FD_NAME));
            MigrationWaitEnd end = awaitEnd(run, job);
            if (job.abortRequested()) {
                // Abort closes the pipe before cancelling, so QEMU may report "failed" rather than "cancelled".
                throw aborted(job);
            }
            switch (end) {
                case MigrationWaitEnd.Reported(MigrationStatus status)
                when status == MigrationStatus.COMPLETED -> writer.awaitDone(PUMP_DRAIN);
                case MigrationWaitEnd.Reported(MigrationStatus status)
                when status == MigrationStatus.CANCELLED -> throw aborted(job);
                case MigrationWaitEnd.Abandoned a -> throw aborted(job);
                case MigrationWaitEnd.RunEnded e ->
                    throw VirtException.of(
                            ErrorCode.OPERATION_FAILED,
                            ErrorDomain.QEMU,
                            "domain '" + name + "' is not running any more");
                case MigrationWaitEnd.Reported r -> throw failed(job, monitor, writer);
            }
        } catch (RuntimeException e) {
            writer.abort();
            if (!run.ended()) {
                try {
                    monitor.migrateCancel();
                } catch (IOException ignored) {
                    // nothing left to cancel
                }
            }
            throw e;
        } finally {
            restoreBandwidth(monitor, bandwidth, run);
        }
    }

    /** A guest that lives on (a failed save, a live dump) keeps the bandwidth it had for later migrations. */
    private static void restoreBandwidth(Monitor monitor, long bandwidth, QemuRun run) {
        if (run.ended()) {
            return;
        }
        try {
            monitor.setMigrateParameters(Map.of("max-bandwidth", bandwidth));
        } catch (IOException ignored) {
            // QEMU is going away; nothing to restore
        }
    }

    private static MigrationWaitEnd awaitEnd(QemuRun run, DomainJob job) {
        try {
            return run.awaitMigrationEnd(job::abortRequested, RECHECK_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtException.of(
                    ErrorCode.OPERATION_ABORTED,
                    ErrorDomain.QEMU,
                    "interrupted waiting for " + job.kind().jobName());
        }
    }

    private static VirtException aborted(DomainJob job) {
        return VirtException.of(
                ErrorCode.OPERATION_ABORTED,
                ErrorDomain.QEMU,
                "job '" + job.kind().jobName() + "' canceled by client");
    }

    private static VirtException failed(DomainJob job, Monitor monitor, SaveWriter writer) {
        String why = writer.failure().orElse(null);
        if (why == null) {
            try {
                MigrationStats stats = monitor.queryMigrate();
                why = stats.errorDesc();
            } catch (IOException e) {
                why = e.getMessage();
            }
        }
        return VirtException.of(
                ErrorCode.OPERATION_FAILED,
                ErrorDomain.QEMU,
                "job '" + job.kind().jobName() + "' failed: " + (why == null ? "unexpectedly failed" : why));
    }

    /** The job's progress from QEMU's statistics (called from query threads while the job runs). */
    static JobProgress progress(Monitor monitor) {
        try {
            MigrationRamStats ram = monitor.queryMigrate().ram();
            return new JobProgress(
                    ram.totalBytes(),
                    ram.transferredBytes(),
                    ram.remainingBytes(),
                    (long) (ram.mbps() * 125_000),
                    ram.dirtyPagesRate(),
                    ram.dirtySyncCount());
        } catch (IOException e) {
            return JobProgress.NOTHING;
        }
    }
}
