package io.jvirt.driver.migration;

import io.jvirt.api.AbortJobFlags;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateSpeedFlags;
import io.jvirt.api.VirtException;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.job.AsyncJobKind;
import io.jvirt.driver.job.DomainJob;
import io.jvirt.driver.job.SyncJobKind;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.qmp.Monitor;
import java.util.Map;

/**
 * Steering a domain's migration while it runs (and setting up the next one): bandwidth and downtime limits,
 * the switch to post-copy, and abort. Each change is a short MIGRATION_OP job, which an outgoing migration lets
 * through, so it reaches QEMU at once, between the migration's own steps.
 *
 * <p>Threading: runs on the calling API thread, concurrently with the migration's thread.
 */
public final class MigrationControl {
    private static final long MIB = 1024 * 1024;

    private MigrationControl() {}

    /** {@code virDomainMigrateSetMaxSpeed}: kept for the next migration, and applied now to a running QEMU. */
    public static void setMaxSpeed(DomainObj dom, long mibPerSecond, int flags) {
        boolean postcopy = (flags & MigrateSpeedFlags.POSTCOPY) != 0;
        long limit = postcopy ? Long.MAX_VALUE / MIB : DomainObj.UNLIMITED_MIGRATION_SPEED;
        if (mibPerSecond < 0 || mibPerSecond > limit) {
            throw VirtException.of(ErrorCode.OVERFLOW, ErrorDomain.QEMU, "bandwidth must be less than " + (limit + 1));
        }
        if (!dom.isActive()) {
            if (postcopy) {
                throw notRunning();
            }
            dom.setMigrationMaxSpeed(mibPerSecond);
            return;
        }
        try (DomainObj.Job _ =
                dom.beginJob("migrate-setspeed", SyncJobKind.MIGRATION_OP, null, DomainLifecycle.JOB_WAIT_MILLIS)) {
            Monitor monitor = dom.requireRun().monitor();
            String param = postcopy ? "max-postcopy-bandwidth" : "max-bandwidth";
            MonitorCalls.run(dom.name(), () -> monitor.setMigrateParameters(Map.of(param, mibPerSecond * MIB)));
            if (!postcopy) {
                dom.setMigrationMaxSpeed(mibPerSecond);
            }
        }
    }

    /** {@code virDomainMigrateGetMaxSpeed}: the kept limit, or with POSTCOPY QEMU's post-copy limit. */
    public static long maxSpeed(DomainObj dom, int flags) {
        if ((flags & MigrateSpeedFlags.POSTCOPY) == 0) {
            return dom.migrationMaxSpeed();
        }
        Monitor monitor = requireRun(dom).monitor();
        return MonitorCalls.call(dom.name(), monitor::queryMigrateParameters).maxPostcopyBandwidth() / MIB;
    }

    /** {@code virDomainMigrateSetMaxDowntime}: QEMU's downtime-limit, in milliseconds. */
    public static void setMaxDowntime(DomainObj dom, long millis) {
        if (millis < 0) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "downtime must not be negative");
        }
        try (DomainObj.Job _ = dom.beginJob(
                "migrate-setmaxdowntime", SyncJobKind.MIGRATION_OP, null, DomainLifecycle.JOB_WAIT_MILLIS)) {
            Monitor monitor = requireRun(dom).monitor();
            MonitorCalls.run(dom.name(), () -> monitor.setMigrateParameters(Map.of("downtime-limit", millis)));
        }
    }

    /** {@code virDomainMigrateGetMaxDowntime}. */
    public static long maxDowntime(DomainObj dom) {
        Monitor monitor = requireRun(dom).monitor();
        var params = MonitorCalls.call(dom.name(), monitor::queryMigrateParameters);
        if (!params.has("downtime-limit")) {
            throw VirtException.of(
                    ErrorCode.OPERATION_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    "Querying migration downtime is not supported by QEMU binary");
        }
        return params.downtimeLimitMs();
    }

    /** {@code virDomainMigrateStartPostCopy}: only for an outgoing migration started with POSTCOPY. */
    public static void startPostCopy(DomainObj dom) {
        MigrationJob job = outgoing(dom, "post-copy can only be started while outgoing migration is in progress");
        if ((job.flags() & MigrateFlags.POSTCOPY) == 0) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID,
                    ErrorDomain.QEMU,
                    "switching to post-copy requires migration to be started with VIR_MIGRATE_POSTCOPY flag");
        }
        try (DomainObj.Job _ =
                dom.beginJob("migrate-postcopy", SyncJobKind.MIGRATION_OP, null, DomainLifecycle.JOB_WAIT_MILLIS)) {
            Monitor monitor = requireRun(dom).monitor();
            MonitorCalls.run(dom.name(), monitor::migrateStartPostcopy);
            job.markPostcopyStarted();
        }
    }

    /**
     * {@code virDomainAbortJobFlags}: cancels an outgoing migration (its thread rolls the source back), refuses
     * an incoming one (destroy is the way), and in post-copy only pauses it, and only when asked to.
     */
    public static void abort(DomainObj dom, DomainJob job, int flags) {
        if (job.kind() == AsyncJobKind.MIGRATION_IN) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID,
                    ErrorDomain.QEMU,
                    "cannot abort incoming migration; use virDomainDestroy instead");
        }
        if (job instanceof MigrationJob migration && migration.postcopyStarted()) {
            if ((flags & AbortJobFlags.POSTCOPY) == 0) {
                throw VirtException.of(
                        ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "cannot abort migration in post-copy mode");
            }
            Monitor monitor = requireRun(dom).monitor();
            MonitorCalls.run(dom.name(), () -> monitor.executeOutOfBand("migrate-pause", Map.of()));
            return;
        }
        if ((flags & AbortJobFlags.POSTCOPY) != 0) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID,
                    ErrorDomain.QEMU,
                    "current job is not outgoing migration in post-copy mode");
        }
        job.abort();
    }

    private static MigrationJob outgoing(DomainObj dom, String otherwise) {
        if (dom.asyncJob() instanceof MigrationJob job && job.kind() == AsyncJobKind.MIGRATION_OUT) {
            return job;
        }
        throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, otherwise);
    }

    private static QemuRun requireRun(DomainObj dom) {
        return dom.requireRun();
    }

    private static VirtException notRunning() {
        return VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is not running");
    }
}
