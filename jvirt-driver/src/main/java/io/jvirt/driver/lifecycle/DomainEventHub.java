package io.jvirt.driver.lifecycle;

import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainEventListener;
import io.jvirt.api.DomainRef;
import io.jvirt.api.StateReason;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Hands the driver's domain events to the registered listeners. Events are queued in the order the driver
 * records the changes and delivered one at a time on a single thread of their own, so a slow listener (a client
 * far away) never holds up a state change, and every listener sees the events in order.
 *
 * <p>Threading: {@link #emit} from any thread; listeners are called on the hub's delivery thread.
 */
public final class DomainEventHub implements AutoCloseable {
    private static final Logger LOG = System.getLogger(DomainEventHub.class.getName());

    private final List<DomainEventListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("domain-events").factory());

    /** Registers {@code listener}; closing the handle removes it. */
    public AutoCloseable add(DomainEventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public void emit(DomainEvent event) {
        if (listeners.isEmpty()) {
            return;
        }
        try {
            delivery.execute(() -> {
                for (DomainEventListener l : listeners) {
                    try {
                        l.onEvent(event);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "event listener failed on " + event, e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.log(Level.DEBUG, "driver closed; dropping {0}", event);
        }
    }

    /** The lifecycle events of a state change of {@code domain} from {@code from} to {@code to}. */
    public void stateChanged(DomainRef domain, StateReason from, StateReason to) {
        LifecycleEvents.forChange(domain, from, to).forEach(this::emit);
    }

    @Override
    public void close() {
        delivery.shutdown();
    }
}
