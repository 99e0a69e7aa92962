package io.jvirt.driver.migration;

import io.jvirt.api.DomainState;
import io.jvirt.api.StateReason;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.MigrationWaitEnd;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.domain.StatusXml;
import io.jvirt.driver.job.AsyncJobKind;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import io.jvirt.driver.lifecycle.DriverContext;
import io.jvirt.driver.process.QemuLauncher;
import io.jvirt.qmp.MigrationStatus;
import io.jvirt.qmp.Monitor;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;

/**
 * What a driver opening a root does with a migration that the last driver left unfinished (its process died
 * between or during phases), following libvirt's per-phase table so the guest ends up running on one host. QEMU's
 * own migration status ({@code query-migrate}) is asked first, because QEMU carried on while no driver watched:
 * <ul>
 *   <li>post-copy on either side (QEMU reports a post-copy status, or the domain's reason or phase says so): neither
 *       copy may be killed or resumed; the source becomes paused (post-copy failed), the destination running
 *       (post-copy failed), and the job stays parked in phase {@code postcopy_failed} so the migration can be
 *       resumed. A source whose QEMU completed the post-copy is shut off (migrated): the destination has it all.
 *       One still in {@code postcopy-active} is watched, and settled so when QEMU completes it.
 *   <li>incoming in {@code prepare}: the incoming QEMU is ended (shut off, failed).
 *   <li>incoming in {@code finish2}: the source is gone already (v2 stops it in Perform), so a QEMU that received
 *       everything is resumed (running, migrated); otherwise it is ended.
 *   <li>incoming in {@code finish3}: a guest already running stays; one not running is ended, since the source got
 *       no answer from Finish and runs its own copy on.
 *   <li>outgoing in {@code begin3}, {@code perform2}, {@code perform3}, {@code confirm3_cancelled}: QEMU's migration
 *       is cancelled and a guest paused for the migration resumed (running, migration canceled).
 *   <li>outgoing in {@code perform3_done}: QEMU sent everything, but whether the destination runs the guest is
 *       unknown here, so the guest stays paused (migration) for whoever drives the migration to decide.
 *   <li>outgoing in {@code confirm3}: the destination runs the guest; the source is shut off (migrated).
 * </ul>
 *
 * <p>Threading: runs on the thread that opens the driver, before any caller can reach the domain.
 */
public final class MigrationRecovery {
    private static final Logger LOG = System.getLogger(MigrationRecovery.class.getName());
    private static final long SETTLE_NANOS = 30_000_000_000L;
    private static final Set<StateReason> POSTCOPY_REASONS = Set.of(
            StateReason.PAUSED_POSTCOPY,
            StateReason.PAUSED_POSTCOPY_FAILED,
            StateReason.RUNNING_POSTCOPY,
            StateReason.RUNNING_POSTCOPY_FAILED);

    private MigrationRecovery() {}

    /** Settles {@code job} (the status file's) for {@code dom}, reconnected on {@code run}. */
    public static void recover(
            DriverContext ctx, DomainLifecycle lifecycle, DomainObj dom, QemuRun run, StatusXml.Job job) {
        MigrationPhase phase;
        try {
            phase = MigrationPhase.fromXmlName(job.phase());
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "domain {0}: unknown migration phase {1}; left as it is", dom.name(), job.phase());
            ctx.saveStatus(dom);
            return;
        }
        boolean incoming = AsyncJobKind.MIGRATION_IN.xmlName().equals(job.async());
        MigrationStatus qemu = queryMigration(dom, run);
        LOG.log(
                Level.INFO,
                "domain {0}: recovering from an unfinished {1} in phase {2} (QEMU''s migration: {3})",
                dom.name(),
                job.async(),
                phase.xmlName(),
                qemu.qmpName());
        if (qemu.isPostcopy()
                || phase == MigrationPhase.POSTCOPY_FAILED
                || POSTCOPY_REASONS.contains(dom.status().reason())) {
            postcopy(ctx, lifecycle, dom, run, job, incoming, qemu);
        } else if (incoming) {
            recoverIncoming(ctx, lifecycle, dom, run, phase, qemu);
        } else {
            recoverOutgoing(ctx, lifecycle, dom, run, phase);
        }
    }

    private static void recoverIncoming(
            DriverContext ctx,
            DomainLifecycle lifecycle,
            DomainObj dom,
            QemuRun run,
            MigrationPhase phase,
            MigrationStatus qemu) {
        boolean running = dom.status().state() == DomainState.RUNNING;
        if (phase == MigrationPhase.FINISH2 && !running && qemu == MigrationStatus.COMPLETED) {
            try {
                run.monitor().cont();
                ctx.updateStatus(dom, run, StateReason.RUNNING_MIGRATED);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "domain {0}: cannot resume the migrated guest: {1}", dom.name(), e.getMessage());
                ctx.saveStatus(dom);
            }
        } else if (phase == MigrationPhase.FINISH3 && running) {
            ctx.saveStatus(dom); // Finish had resumed the guest: the migration is over, without the job
        } else {
            end(lifecycle, dom, run, StateReason.SHUTOFF_FAILED);
        }
    }

    private static void recoverOutgoing(
            DriverContext ctx, DomainLifecycle lifecycle, DomainObj dom, QemuRun run, MigrationPhase phase) {
        switch (phase) {
            case CONFIRM3 -> end(lifecycle, dom, run, StateReason.SHUTOFF_MIGRATED);
            case PERFORM3_DONE -> {
                LOG.log(
                        Level.WARNING,
                        "domain {0}: migration handed over but never confirmed; left paused: "
                                + "destroy it here if it runs on the destination, else resume it",
                        dom.name());
                if (dom.status().state() == DomainState.PAUSED) {
                    ctx.updateStatus(dom, run, StateReason.PAUSED_MIGRATION);
                }
                ctx.saveStatus(dom);
            }
            default -> cancelAndResume(ctx, dom, run);
        }
    }

    /**
     * Post-copy: the destination runs the guest with memory newer than the source's and still misses pages only
     * the source has, so neither side may act alone. The job stays, in phase {@code postcopy_failed}.
     */
    private static void postcopy(
            DriverContext ctx,
            DomainLifecycle lifecycle,
            DomainObj dom,
            QemuRun run,
            StatusXml.Job saved,
            boolean incoming,
            MigrationStatus qemu) {
        if (!incoming && qemu == MigrationStatus.COMPLETED) {
            end(lifecycle, dom, run, StateReason.SHUTOFF_MIGRATED); // every page reached the destination
            return;
        }
        MigrationJob job = new MigrationJob(
                incoming ? AsyncJobKind.MIGRATION_IN : AsyncJobKind.MIGRATION_OUT, saved.flags(), false);
        job.enter(MigrationPhase.POSTCOPY_FAILED);
        job.markPostcopyStarted();
        job.attach(run.monitor());
        dom.setAsyncJob(job);
        if (incoming) {
            PostcopyFailure.destination(ctx, dom, run);
        } else {
            PostcopyFailure.source(ctx, dom, run);
        }
        ctx.saveStatus(dom);
        if (qemu == MigrationStatus.POSTCOPY_ACTIVE) {
            Thread.ofVirtual()
                    .name("jvirt-postcopy-" + dom.name())
                    .start(() -> finishUnattended(ctx, lifecycle, dom, run, job, incoming));
        }
    }

    /**
     * QEMU's post-copy went on while no driver watched and may still complete by itself (as libvirt leaves such a
     * migration "unattended"): once QEMU reports it completed, the source is shut off (migrated) and the
     * destination runs on (migrated), the job over. Runs on its own virtual thread until then, the run's end or the
     * driver's close.
     */
    private static void finishUnattended(
            DriverContext ctx, DomainLifecycle lifecycle, DomainObj dom, QemuRun run, MigrationJob job, boolean in) {
        MigrationWaitEnd end;
        try {
            end = run.awaitMigrationStatus(Set.of(), () -> ctx.closing().get(), 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!(end instanceof MigrationWaitEnd.Reported(MigrationStatus status))
                || status != MigrationStatus.COMPLETED) {
            return;
        }
        LOG.log(Level.INFO, "domain {0}: the unattended post-copy migration completed", dom.name());
        if (in) {
            dom.endAsyncJob(job);
            ctx.updateStatus(dom, run, StateReason.RUNNING_MIGRATED);
            ctx.saveStatus(dom);
        } else {
            end(lifecycle, dom, run, StateReason.SHUTOFF_MIGRATED);
        }
    }

    private static MigrationStatus queryMigration(DomainObj dom, QemuRun run) {
        try {
            return run.monitor().queryMigrate().status();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "domain {0}: query-migrate failed: {1}", dom.name(), e.getMessage());
            return MigrationStatus.UNKNOWN;
        }
    }

    private static void cancelAndResume(DriverContext ctx, DomainObj dom, QemuRun run) {
        Monitor monitor = run.monitor();
        try {
            MigrationStatus status = monitor.queryMigrate().status();
            if (status != MigrationStatus.NONE && !status.isFinished()) {
                run.resetMigrationStatus();
                monitor.migrateCancel();
                // QEMU refuses new settings until the cancelled migration has wound down.
                long deadline = System.nanoTime() + SETTLE_NANOS;
                run.awaitMigrationStatus(Set.of(), () -> System.nanoTime() > deadline, 1_000);
            }
            monitor.setMigrateCapabilities(QemuMigrationSettings.reset(monitor.queryMigrateCapabilities()));
            StateReason reason = dom.status().reason();
            if (reason == StateReason.PAUSED_MIGRATION || reason == StateReason.PAUSED_UNKNOWN) {
                monitor.cont();
                ctx.updateStatus(dom, run, StateReason.RUNNING_MIGRATION_CANCELED);
            }
        } catch (IOException e) {
            LOG.log(
                    Level.WARNING,
                    "domain " + dom.name() + ": cannot cancel the unfinished migration: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ctx.saveStatus(dom); // without the job, which this driver does not carry on
        }
    }

    private static void end(DomainLifecycle lifecycle, DomainObj dom, QemuRun run, StateReason reason) {
        run.expectStop(reason);
        QemuLauncher.kill(run.pid(), dom.uuid().toString());
        lifecycle.stopped(dom, run, reason);
    }
}
