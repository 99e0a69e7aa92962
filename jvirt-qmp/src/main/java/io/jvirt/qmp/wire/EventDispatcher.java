package io.jvirt.qmp.wire;

import io.jvirt.qmp.MonitorEvent;
import io.jvirt.qmp.MonitorListener;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Delivers a monitor's events and its end to the listener in order, on one thread of its own
 * ({@code qmp-events[<name>]}, a virtual thread), so the reader never runs listener code and a listener may
 * call back into the monitor. {@link #closed} is delivered once, after every event queued before it.
 */
final class EventDispatcher {
    private static final System.Logger LOG = System.getLogger(EventDispatcher.class.getName());

    private final String name;
    private final MonitorListener listener;
    private final ExecutorService thread;
    private boolean closed;

    EventDispatcher(String name, MonitorListener listener) {
        this.name = name;
        this.listener = listener;
        this.thread = Executors.newSingleThreadExecutor(
                Thread.ofVirtual().name("qmp-events[" + name + "]").factory());
    }

    synchronized void event(MonitorEvent event) {
        if (!closed) {
            submit(() -> listener.onEvent(event), event.name());
        }
    }

    /** Queues onClosed after everything queued so far; later events are dropped. Idempotent. */
    synchronized void closed(Throwable causeOrNull) {
        if (closed) {
            return;
        }
        closed = true;
        submit(() -> listener.onClosed(causeOrNull), "onClosed");
        thread.shutdown();
    }

    private void submit(Runnable delivery, String what) {
        try {
            thread.execute(() -> {
                try {
                    delivery.run();
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.WARNING, "monitor " + name + ": listener failed on " + what, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "monitor {0}: {1} dropped after close", name, what);
        }
    }
}
