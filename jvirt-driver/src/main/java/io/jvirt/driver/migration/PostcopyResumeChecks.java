package io.jvirt.driver.migration;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.job.AsyncJobKind;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import io.jvirt.qmp.MigrationStatus;

/**
 * Whether a failed post-copy migration can be resumed (VIR_MIGRATE_POSTCOPY_RESUME), with libvirt's errors: the
 * flags ask for post-copy, the domain is in post-copy and it has failed (source paused, destination running or
 * paused, each "post-copy failed"), no resume is under way, and QEMU itself reports {@code postcopy-paused}.
 *
 * <p>Threading: the phase's API thread. Stateless.
 */
final class PostcopyResumeChecks {
    private PostcopyResumeChecks() {}

    static boolean asked(long flags) {
        return (flags & MigrateFlags.POSTCOPY_RESUME) != 0;
    }

    /** The domain side of the checks, before anything starts; {@code kind} is the side's migration job. */
    static void requireFailedPostcopy(DomainObj dom, AsyncJobKind kind) {
        if (dom.asyncJob() instanceof MigrationJob job
                && job.kind() == kind
                && job.phase() != MigrationPhase.POSTCOPY_FAILED) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID,
                    ErrorDomain.QEMU,
                    "resuming failed post-copy migration of domain " + dom.name() + " already in progress");
        }
        StateReason now = dom.status().reason();
        if (now == StateReason.PAUSED_POSTCOPY_FAILED || now == StateReason.RUNNING_POSTCOPY_FAILED) {
            return;
        }
        if (now == StateReason.PAUSED_POSTCOPY || now == StateReason.RUNNING_POSTCOPY) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID,
                    ErrorDomain.QEMU,
                    "post-copy migration of domain " + dom.name() + " has not failed");
        }
        throw VirtException.of(
                ErrorCode.OPERATION_INVALID,
                ErrorDomain.QEMU,
                "migration of domain " + dom.name() + " is not in post-copy phase");
    }

    /**
     * The side's job for this failed post-copy when one is kept (a restarted jvirtd parks it in phase
     * postcopy_failed, as libvirt does); else a new one, started. Either way marked as past the switch-over.
     */
    static MigrationJob resumeJob(DomainObj dom, AsyncJobKind kind, long flags, QemuRun run) {
        if (dom.asyncJob() instanceof MigrationJob job
                && job.kind() == kind
                && job.phase() == MigrationPhase.POSTCOPY_FAILED) {
            return job;
        }
        MigrationJob job = new MigrationJob(kind, flags, kind == AsyncJobKind.MIGRATION_IN);
        dom.startAsyncJob(
                job,
                kind == AsyncJobKind.MIGRATION_IN ? "migration in" : "migration out",
                DomainLifecycle.JOB_WAIT_MILLIS);
        job.attach(run.monitor());
        job.markPostcopyStarted();
        return job;
    }

    /**
     * QEMU's side: its migration must be paused in post-copy, as a broken link or {@code migrate-pause} leaves it,
     * going by the status QEMU last reported by event. QEMU is not asked: a destination's main loop is often blocked
     * by then (its vCPU waits for a page with QEMU's big lock held, under TCG), so {@code query-migrate} would not be
     * answered. Without a report since this driver connected (a restarted jvirtd), the domain's reason decides.
     */
    static void requireQemuPaused(DomainObj dom, QemuRun run) {
        MigrationStatus status = run.migrationStatus();
        if (status == MigrationStatus.NONE) {
            return;
        }
        if (status != MigrationStatus.POSTCOPY_PAUSED) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "QEMU reports migration is still running");
        }
    }
}
