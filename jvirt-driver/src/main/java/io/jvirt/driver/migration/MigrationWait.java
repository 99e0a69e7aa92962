package io.jvirt.driver.migration;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.qmp.MigrationStats;
import io.jvirt.qmp.Monitor;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;

/**
 * The wait for QEMU's migration to end, on either side, and what each ending becomes as libvirt reports it; and
 * the cancel of a migration QEMU still runs when a phase rolls back.
 *
 * <p>Threading: called on the phase's API thread (or an aborting one for {@link #cancelAndSettle}); the run's
 * migration status is fed by its monitor's event thread.
 */
final class MigrationWait {
    private static final Logger LOG = System.getLogger(MigrationWait.class.getName());
    private static final long RECHECK_MILLIS = 1_000;
    private static final long SETTLE_MILLIS = 30_000;
    /** QEMU's status when a post-copy migration lost its connection: neither side has the whole guest. */
    static final String POSTCOPY_PAUSED = "postcopy-paused";

    private MigrationWait() {
    }

    /**
     * Waits for QEMU's migration to end, or to reach one of {@code alsoStopAt}. A failure becomes libvirt's
     * error for the job: "job 'migration out' failed: …", "… canceled by client", or the run's end.
     */
    static String await(QemuRun run, MigrationJob job, Set<String> alsoStopAt, String jobName, boolean abortable) {
        return await(run, job, alsoStopAt, jobName, abortable, () -> null);
    }

    /**
     * As above, also giving up when {@code lost} names an error (the peer-to-peer destination went away): that
     * error is thrown unless QEMU completed meanwhile.
     */
    static String await(QemuRun run, MigrationJob job, Set<String> alsoStopAt, String jobName, boolean abortable,
                        java.util.function.Supplier<VirtException> lost) {
        String end;
        try {
            end = run.awaitMigrationStatus(alsoStopAt,
                    () -> (abortable && job.abortRequested()) || lost.get() != null, RECHECK_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted waiting for " + jobName);
        }
        VirtException gone = "completed".equals(end) ? null : lost.get();
        if (gone != null && !(abortable && job.abortRequested())) {
            throw gone;
        }
        if (abortable && job.abortRequested() && !"completed".equals(end)) {
            throw aborted(jobName);
        }
        return switch (end) {
            case "completed" -> end;
            case "cancelled", "abandoned" -> throw aborted(jobName);
            case "ended" -> throw VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                    "job '" + jobName + "' failed: QEMU exited (domain is not running)");
            case "failed" -> throw VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                    "job '" + jobName + "' failed: " + errorDescription(job));
            case POSTCOPY_PAUSED -> throw VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                    "job '" + jobName + "' failed in post-copy phase");
            default -> end;
        };
    }

    private static String errorDescription(MigrationJob job) {
        Monitor monitor = job.monitor();
        if (monitor != null) {
            try {
                MigrationStats stats = monitor.queryMigrate();
                if (stats.errorDesc() != null) {
                    return stats.errorDesc();
                }
            } catch (IOException e) {
                return e.getMessage();
            }
        }
        return "unexpectedly failed";
    }

    static VirtException aborted(String jobName) {
        return VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "job '" + jobName + "' canceled by client");
    }

    /** Cancels a migration QEMU still runs and waits (bounded) until QEMU says it has stopped. */
    static void cancelAndSettle(QemuRun run, String name) {
        String status = run.migrationStatus();
        if ("none".equals(status) || isFinal(status)) {
            return;
        }
        try {
            run.monitor().migrateCancel();
            long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
            String end = run.awaitMigrationStatus(Set.of(), () -> System.nanoTime() > deadline, RECHECK_MILLIS);
            LOG.log(Level.DEBUG, "domain {0}: migration settled as {1}", name, end);
        } catch (IOException | VirtException e) {
            LOG.log(Level.WARNING, "domain " + name + ": cannot cancel its migration: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isFinal(String status) {
        return "completed".equals(status) || "failed".equals(status) || "cancelled".equals(status);
    }
}
