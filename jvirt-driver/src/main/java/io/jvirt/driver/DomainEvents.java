package io.jvirt.driver;

import io.jvirt.driver.domain.DomainObj;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorEvent;
import io.jvirt.qmp.MonitorListener;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Turns one QEMU's monitor events into state changes of its domain.
 *
 * <p>Threading: called on the monitor's event-dispatch thread, one event at a time and in QEMU's order; it may
 * call back into the monitor (that thread is not the reader). Events that arrive before {@link #attach} (the few
 * milliseconds between the monitor's greeting and the domain being marked active) concern a domain that start is
 * still setting up; start sees a closed monitor itself.
 */
final class DomainEvents implements MonitorListener {
    private static final Logger LOG = System.getLogger(DomainEvents.class.getName());

    private final DomainObj dom;
    private final DomainLifecycle lifecycle;
    private volatile Monitor monitor;

    DomainEvents(DomainObj dom, DomainLifecycle lifecycle) {
        this.dom = dom;
        this.lifecycle = lifecycle;
    }

    void attach(Monitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public void onEvent(MonitorEvent event) {
        Monitor m = monitor;
        if (m == null) {
            return;
        }
        try {
            switch (event) {
                case MonitorEvent.Stop stop -> lifecycle.pausedByQemu(dom);
                case MonitorEvent.Resume resume -> lifecycle.resumedByQemu(dom);
                case MonitorEvent.Shutdown shutdown -> {
                    if (shutdown.guest()) {
                        lifecycle.guestShutdown(dom, m);
                    } else {
                        dom.markShutdownSeen();
                    }
                }
                default -> LOG.log(Level.TRACE, "domain {0}: event {1}", dom.name(), event);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "domain " + dom.name() + ": handling " + event + " failed", e);
        }
    }

    @Override
    public void onClosed(Throwable cause) {
        Monitor m = monitor;
        if (m == null || lifecycle.context().closing().get()) {
            return;
        }
        try {
            lifecycle.monitorClosed(dom, m);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "domain " + dom.name() + ": cleaning up after QEMU exit failed", e);
        }
    }
}
