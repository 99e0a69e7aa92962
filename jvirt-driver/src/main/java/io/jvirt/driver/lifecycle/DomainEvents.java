package io.jvirt.driver.lifecycle;

import io.jvirt.api.DomainEvent;
import io.jvirt.driver.domain.BlockJobState;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.qmp.MonitorEvent;
import io.jvirt.qmp.MonitorListener;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns the monitor events of one QEMU run into state changes of its domain.
 *
 * <p>Threading: called on that monitor's event-dispatch thread, one event at a time and in QEMU's order; it may
 * call back into the monitor (that thread is not the reader). Every change names this listener's run, so events
 * that arrive after the run ended (a late EOF after destroy and a new start) change nothing. Events before
 * {@link #attach} (the moments between QEMU's greeting and the domain being marked active) are dropped: start
 * notices a QEMU that died then by itself.
 */
public final class DomainEvents implements MonitorListener {
    private static final Logger LOG = System.getLogger(DomainEvents.class.getName());

    private final DomainObj dom;
    private final DomainLifecycle lifecycle;
    /** The driver's closing flag: once set, monitors close because we leave, so their events change nothing. */
    private final AtomicBoolean closing;

    private final DomainEventHub events;
    private volatile QemuRun run;

    DomainEvents(DomainObj dom, DomainLifecycle lifecycle, AtomicBoolean closing, DomainEventHub events) {
        this.dom = dom;
        this.lifecycle = lifecycle;
        this.closing = closing;
        this.events = events;
    }

    /** Starts handing events to {@code run}, once the domain is marked active with it. */
    public void attach(QemuRun run) {
        this.run = run;
    }

    @Override
    public void onEvent(MonitorEvent event) {
        QemuRun r = run;
        if (r == null || closing.get()) {
            return;
        }
        try {
            switch (event) {
                case MonitorEvent.Stop stop -> lifecycle.pausedByQemu(dom, r, stop.timestampMicros());
                case MonitorEvent.Resume resume -> lifecycle.resumedByQemu(dom, r, resume.timestampMicros());
                case MonitorEvent.Reset reset -> {
                    if (reset.guest()) {
                        lifecycle.guestReset(dom, r);
                    }
                }
                case MonitorEvent.Shutdown shutdown -> {
                    if (shutdown.guest()) {
                        lifecycle.guestPoweredOff(dom, r);
                    } else {
                        r.markShutdownSeen();
                    }
                }
                case MonitorEvent.Migration migration -> r.migrationStatus(migration.state());
                case MonitorEvent.MigrationPass pass -> migrationPass(r, pass);
                case MonitorEvent.Other o when o.name().equals("DEVICE_DELETED") -> deviceDeleted(r, o);
                case MonitorEvent.Other other
                when BlockJobState.follows(other.name()) -> r.blockJobEvent(other.name(), other.data());
                default -> LOG.log(Level.TRACE, "domain {0}: event {1}", dom.name(), event);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "domain " + dom.name() + ": handling " + event + " failed", e);
        }
    }

    /**
     * QEMU began pass {@code pass.pass()} over the guest's memory (it sends these while the {@code events}
     * capability is on): reported as libvirt does, and only while a migration job runs, as libvirt ignores the
     * event without an async job.
     */
    private void migrationPass(QemuRun r, MonitorEvent.MigrationPass pass) {
        if (!dom.isCurrent(r) || dom.asyncJob() == null) {
            LOG.log(Level.DEBUG, "domain {0}: MIGRATION_PASS {1} without a migration job", dom.name(), pass.pass());
            return;
        }
        int iteration = (int) Math.min(pass.pass(), Integer.MAX_VALUE);
        events.emit(new DomainEvent.MigrationIteration(dom.ref(), iteration));
    }

    /**
     * QEMU removed a device: a detach waiting for it finishes the removal; otherwise (the guest let go after the
     * detach stopped waiting) it is finished here. Events without a device id are QEMU-internal parts.
     */
    private void deviceDeleted(QemuRun r, MonitorEvent.Other event) {
        if (event.data().get("device") instanceof String alias && !r.deviceDeleted(alias)) {
            lifecycle.deviceRemovedByQemu(dom, r, alias);
        }
    }

    @Override
    public void onClosed(Throwable cause) {
        QemuRun r = run;
        if (r == null || closing.get()) {
            return;
        }
        try {
            lifecycle.monitorClosed(dom, r);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "domain " + dom.name() + ": cleaning up after QEMU exit failed", e);
        }
    }
}
