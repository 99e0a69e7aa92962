package io.jvirt.driver.migration;

import io.jvirt.api.DomainState;
import io.jvirt.api.StateReason;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.domain.StatusXml;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import io.jvirt.driver.lifecycle.DriverContext;
import io.jvirt.driver.process.QemuLauncher;
import io.jvirt.qmp.MigrationStatus;
import io.jvirt.qmp.Monitor;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * What a driver opening a root does with a migration that the last driver left unfinished (its process died
 * between or during phases), following libvirt's per-phase table so the guest ends up running on one host:
 * an incoming guest that never got to run is ended; an outgoing migration still sending is cancelled and the guest
 * resumed; one whose Confirm had begun is finished (the destination runs the guest); one that had handed over and
 * waits for Finish is left paused, for whoever drives the migration to decide.
 *
 * <p>Threading: runs on the thread that opens the driver, before any caller can reach the domain.
 */
public final class MigrationRecovery {
    private static final Logger LOG = System.getLogger(MigrationRecovery.class.getName());
    private static final long SETTLE_NANOS = 30_000_000_000L;

    private MigrationRecovery() {}

    /** Settles {@code job} (the status file's) for {@code dom}, reconnected on {@code run}. */
    public static void recover(
            DriverContext ctx, DomainLifecycle lifecycle, DomainObj dom, QemuRun run, StatusXml.Job job) {
        MigrationPhase phase;
        try {
            phase = MigrationPhase.fromXmlName(job.phase());
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "domain {0}: unknown migration phase {1}; left as it is", dom.name(), job.phase());
            return;
        }
        LOG.log(
                Level.INFO,
                "domain {0}: recovering from an unfinished {1} in phase {2}",
                dom.name(),
                job.async(),
                phase.xmlName());
        boolean incoming = "migration in".equals(job.async());
        Monitor monitor = run.monitor();
        if (incoming) {
            boolean running = dom.status().state() == DomainState.RUNNING;
            if (phase == MigrationPhase.PREPARE || !running) {
                end(lifecycle, dom, run, StateReason.SHUTOFF_FAILED);
            }
            return;
        }
        switch (phase) {
            case CONFIRM3 -> end(lifecycle, dom, run, StateReason.SHUTOFF_MIGRATED);
            case PERFORM3_DONE -> {
                LOG.log(
                        Level.WARNING,
                        "domain {0}: migration handed over but never confirmed; left paused: "
                                + "destroy it here if it runs on the destination, else resume it",
                        dom.name());
                ctx.saveStatus(dom);
            }
            default -> resume(ctx, dom, run, monitor);
        }
    }

    private static void resume(DriverContext ctx, DomainObj dom, QemuRun run, Monitor monitor) {
        try {
            MigrationStatus status = monitor.queryMigrate().status();
            if (status != MigrationStatus.NONE && !status.isFinished()) {
                run.resetMigrationStatus();
                monitor.migrateCancel();
                // QEMU refuses new settings until the cancelled migration has wound down.
                long deadline = System.nanoTime() + SETTLE_NANOS;
                run.awaitMigrationStatus(java.util.Set.of(), () -> System.nanoTime() > deadline, 1_000);
            }
            monitor.setMigrateCapabilities(QemuMigrationSettings.reset(monitor.queryMigrateCapabilities()));
            StateReason reason = dom.status().reason();
            if (reason == StateReason.PAUSED_MIGRATION || reason == StateReason.PAUSED_UNKNOWN) {
                monitor.cont();
                ctx.updateStatus(dom, run, StateReason.RUNNING_MIGRATION_CANCELED);
            } else {
                ctx.saveStatus(dom);
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
