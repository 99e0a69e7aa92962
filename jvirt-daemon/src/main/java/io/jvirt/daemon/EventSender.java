package io.jvirt.daemon;

import io.jvirt.rpc.wire.Message;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Sends one client's event frames from a single virtual thread of its own ({@code jvirtd-events-N}), in the order
 * the driver emitted the events, so a client that reads slowly never holds up the driver's event thread or the
 * other clients.
 *
 * <p>Threading: {@link #queue} on the driver's event thread (through {@link EventFanout}); the frames are written
 * on the event thread of this client; {@link #stop} on the session's closing thread.
 */
final class EventSender {
    private final Consumer<Message> send;
    private final ExecutorService thread;

    EventSender(long clientId, Consumer<Message> send) {
        this.send = send;
        this.thread = Executors.newSingleThreadExecutor(
                Thread.ofVirtual().name("jvirtd-events-" + clientId).factory());
    }

    /** Queues frames for sending; dropped once stopped. */
    void queue(List<Message> frames) {
        if (frames.isEmpty()) {
            return;
        }
        try {
            thread.execute(() -> frames.forEach(send));
        } catch (RejectedExecutionException e) {
            // closing meanwhile: the client is gone, and so are its events
        }
    }

    /** The session ended: queued events are dropped. */
    void stop() {
        thread.shutdownNow();
    }
}
