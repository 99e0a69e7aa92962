package io.jvirt.daemon;

import io.jvirt.rpc.wire.Message;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Sends one client's event frames from a single virtual thread of its own ({@code jvirtd-events-N}), in the order
 * the driver emitted the events, so a client that reads slowly never holds up the driver's event thread or the
 * other clients. At most {@link #MAX_QUEUED} frames wait: a client that lets more pile up does not read what it
 * asked for, and holding them would let it grow the daemon's memory without bound, so the session is ended instead
 * (libvirtd too ends a client that stops reading, through its keepalive).
 *
 * <p>Threading: {@link #queue} on the driver's event thread (through {@link EventFanout}); the frames are written
 * on the event thread of this client; {@link #stop} on the session's closing thread.
 */
final class EventSender {
    /** Event frames one client may have waiting; a few MiB at most, far more than a reading client ever has. */
    static final int MAX_QUEUED = 1024;

    private static final System.Logger LOG = System.getLogger(EventSender.class.getName());

    private final long clientId;
    private final Consumer<Message> send;
    private final Runnable onOverflow;
    private final ExecutorService thread;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean overflowed = new AtomicBoolean();

    /** @param onOverflow ends the session once more than {@link #MAX_QUEUED} frames wait; runs once */
    EventSender(long clientId, Consumer<Message> send, Runnable onOverflow) {
        this.clientId = clientId;
        this.send = send;
        this.onOverflow = onOverflow;
        this.thread = Executors.newSingleThreadExecutor(
                Thread.ofVirtual().name("jvirtd-events-" + clientId).factory());
    }

    /** Queues frames for sending; dropped once stopped, or when the client already has too many waiting. */
    void queue(List<Message> frames) {
        if (frames.isEmpty() || overflowed.get()) {
            return;
        }
        if (queued.addAndGet(frames.size()) > MAX_QUEUED) {
            queued.addAndGet(-frames.size());
            if (overflowed.compareAndSet(false, true)) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "client {0}: {1} event frames wait unread, closing the client",
                        clientId,
                        MAX_QUEUED);
                onOverflow.run();
            }
            return;
        }
        try {
            thread.execute(() -> {
                for (Message m : frames) {
                    send.accept(m);
                    queued.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            // closing meanwhile: the client is gone, and so are its events
            queued.addAndGet(-frames.size());
        }
    }

    /** Frames queued and not yet written (for tests and logs). */
    int queued() {
        return queued.get();
    }

    /** The session ended: queued events are dropped. */
    void stop() {
        thread.shutdownNow();
    }
}
