package io.jvirt.driver.migration;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.domain.MigrationWaitEnd;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.qmp.MigrationStats;
import io.jvirt.qmp.MigrationStatus;
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

    private MigrationWait() {}

    /**
     * Waits for QEMU's migration to end, or to reach one of {@code alsoStopAt}. A failure becomes libvirt's
     * error for the job: "job 'migration out' failed: …", "… canceled by client", or the run's end.
     */
    static MigrationStatus await(
            QemuRun run, MigrationJob job, Set<MigrationStatus> alsoStopAt, String jobName, boolean abortable) {
        return await(run, job, alsoStopAt, jobName, abortable, () -> null);
    }

    /**
     * As above, also giving up when {@code lost} names an error (the peer-to-peer destination went away): that
     * error is thrown unless QEMU completed meanwhile.
     */
    static MigrationStatus await(
            QemuRun run,
            MigrationJob job,
            Set<MigrationStatus> alsoStopAt,
            String jobName,
            boolean abortable,
            java.util.function.Supplier<VirtException> lost) {
        MigrationWaitEnd end;
        try {
            end = run.awaitMigrationStatus(
                    alsoStopAt, () -> (abortable && job.abortRequested()) || lost.get() != null, RECHECK_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted waiting for " + jobName);
        }
        boolean completed = end.is(MigrationStatus.COMPLETED);
        VirtException gone = completed ? null : lost.get();
        if (gone != null && !(abortable && job.abortRequested())) {
            throw gone;
        }
        if (abortable && job.abortRequested() && !completed) {
            throw aborted(jobName);
        }
        return switch (end) {
            case MigrationWaitEnd.Abandoned a -> throw aborted(jobName);
            case MigrationWaitEnd.RunEnded e ->
                throw VirtException.of(
                        ErrorCode.OPERATION_FAILED,
                        ErrorDomain.QEMU,
                        "job '" + jobName + "' failed: QEMU exited (domain is not running)");
            case MigrationWaitEnd.Reported(MigrationStatus status) ->
                switch (status) {
                    case CANCELLED -> throw aborted(jobName);
                    case FAILED ->
                        throw VirtException.of(
                                ErrorCode.OPERATION_FAILED,
                                ErrorDomain.QEMU,
                                "job '" + jobName + "' failed: " + errorDescription(job));
                    // Neither side has the whole guest: the post-copy migration lost its connection.
                    case POSTCOPY_PAUSED ->
                        throw VirtException.of(
                                ErrorCode.OPERATION_FAILED,
                                ErrorDomain.QEMU,
                                "job '" + jobName + "' failed in post-copy phase");
                    default -> status; // completed, or a status the caller asked to stop at
                };
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
        return VirtException.of(
                ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "job '" + jobName + "' canceled by client");
    }

    /** Cancels a migration QEMU still runs and waits (bounded) until QEMU says it has stopped. */
    static void cancelAndSettle(QemuRun run, String name) {
        MigrationStatus status = run.migrationStatus();
        if (status == MigrationStatus.NONE || status.isFinished()) {
            return;
        }
        try {
            run.monitor().migrateCancel();
            long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
            MigrationWaitEnd end =
                    run.awaitMigrationStatus(Set.of(), () -> System.nanoTime() > deadline, RECHECK_MILLIS);
            LOG.log(Level.DEBUG, "domain {0}: migration settled as {1}", name, end.describe());
        } catch (IOException | VirtException e) {
            LOG.log(Level.WARNING, "domain " + name + ": cannot cancel its migration: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
