package io.jvirt.driver.migration;

import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainEventDetail;
import io.jvirt.api.DomainEventType;
import io.jvirt.api.DomainState;
import io.jvirt.api.StateReason;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.lifecycle.DriverContext;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * What a migration that fails after QEMU switched to post-copy leaves behind, as libvirt leaves it: neither side can
 * take the guest back alone (the destination runs it with memory newer than the source's, and still misses pages
 * only the source has), so nothing is cancelled, resumed or killed. The source stays paused (post-copy failed), the
 * destination keeps running (post-copy failed); each gets its lifecycle event. The state change within PAUSED or
 * RUNNING makes no lifecycle event of the right detail by itself, so the event is sent here.
 *
 * <p>Threading: called on the phase's API thread.
 */
final class PostcopyFailure {
    private static final Logger LOG = System.getLogger(PostcopyFailure.class.getName());

    private PostcopyFailure() {}

    /**
     * Whether the source's migration has switched to post-copy (QEMU reported {@code postcopy-active} or a later
     * post-copy status, or the domain shows it): no rollback is possible any more.
     */
    static boolean sourceInPostcopy(DomainObj dom, QemuRun run, MigrationJob job) {
        StateReason now = dom.status().reason();
        return job.postcopyStarted()
                || run.migrationStatus().isPostcopy()
                || now == StateReason.PAUSED_POSTCOPY
                || now == StateReason.PAUSED_POSTCOPY_FAILED;
    }

    /**
     * The source: the guest becomes paused (post-copy failed). QEMU stopped its vCPUs at the switch, so a domain
     * still shown running (the failure came before the migration job recorded the pause) is paused too.
     */
    static void source(DriverContext ctx, DomainObj dom, QemuRun run) {
        dom.withLock(() -> {
            StateReason now = dom.status().reason();
            if (!dom.isCurrent(run)
                    || now == StateReason.PAUSED_POSTCOPY_FAILED
                    || now.state() != DomainState.PAUSED && now.state() != DomainState.RUNNING) {
                return;
            }
            LOG.log(
                    Level.WARNING,
                    "migration of domain {0} failed during post-copy; leaving the domain paused",
                    dom.name());
            setQuietly(ctx, dom, run, StateReason.PAUSED_POSTCOPY_FAILED);
            ctx.events()
                    .emit(new DomainEvent.Lifecycle(
                            dom.ref(), DomainEventType.SUSPENDED, DomainEventDetail.SUSPENDED_POSTCOPY_FAILED));
        });
    }

    /**
     * The destination: a running guest goes on running (post-copy failed); one that never ran here (the break came
     * before its vCPUs started) is paused (post-copy failed); one paused for another reason (an I/O error) keeps that
     * reason and only the event tells of the failure.
     */
    static void destination(DriverContext ctx, DomainObj dom, QemuRun run) {
        dom.withLock(() -> {
            StateReason now = dom.status().reason();
            if (!dom.isCurrent(run)
                    || now == StateReason.RUNNING_POSTCOPY_FAILED
                    || now == StateReason.PAUSED_POSTCOPY_FAILED) {
                return;
            }
            LOG.log(
                    Level.WARNING,
                    "incoming migration of domain {0} failed during post-copy; leaving the domain " + "running",
                    dom.name());
            if (now.state() == DomainState.RUNNING) {
                setQuietly(ctx, dom, run, StateReason.RUNNING_POSTCOPY_FAILED);
                ctx.events()
                        .emit(new DomainEvent.Lifecycle(
                                dom.ref(), DomainEventType.RESUMED, DomainEventDetail.RESUMED_POSTCOPY_FAILED));
            } else if (now == StateReason.PAUSED_MIGRATION) {
                // The post-copy broke before the guest ran here: it waits, paused, for the rest of its memory.
                setQuietly(ctx, dom, run, StateReason.PAUSED_POSTCOPY_FAILED);
                ctx.events()
                        .emit(new DomainEvent.Lifecycle(
                                dom.ref(), DomainEventType.SUSPENDED, DomainEventDetail.SUSPENDED_POSTCOPY_FAILED));
            } else if (now.state() == DomainState.PAUSED) {
                ctx.events()
                        .emit(new DomainEvent.Lifecycle(
                                dom.ref(), DomainEventType.SUSPENDED, DomainEventDetail.SUSPENDED_POSTCOPY_FAILED));
            }
        });
    }

    /** Records the state without the generic lifecycle event a state change makes: the caller sends its own. */
    private static void setQuietly(DriverContext ctx, DomainObj dom, QemuRun run, StateReason reason) {
        if (dom.setStatusIf(run, reason)) {
            ctx.saveStatus(dom);
        }
    }
}
