package io.jvirt.daemon;

import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Keepalive;
import io.jvirt.rpc.wire.Message;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * libvirt's keepalive for one client: PINGs are answered with PONGs; once the client asked for the feature, the
 * daemon PINGs a client it has not heard from for an interval, and ends the session after {@code count} PINGs in a
 * row went unanswered. Any frame from the client counts as an answer, as in libvirtd.
 *
 * <p>Threading: {@link #onMessage}, {@link #heardFrom} and {@link #stillReceiving} run on the session's reader
 * thread; {@link #start} on the call thread of CONNECT_SUPPORTS_FEATURE; the PINGs go out from a virtual thread of
 * its own ({@code jvirtd-keepalive-N}); {@link #stop} on the session's closing thread.
 */
final class ClientKeepalive {
    private static final System.Logger LOG = System.getLogger(ClientKeepalive.class.getName());

    private final long clientId;
    private final int intervalSeconds;
    private final int count;
    private final Consumer<Message> send;
    private final Runnable closeSession;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicInteger unansweredPings = new AtomicInteger();
    private volatile long lastReceivedNanos = System.nanoTime();

    /** @param intervalSeconds seconds of silence before a PING; 0 or less turns PINGs off */
    ClientKeepalive(long clientId, int intervalSeconds, int count, Consumer<Message> send, Runnable closeSession) {
        this.clientId = clientId;
        this.intervalSeconds = intervalSeconds;
        this.count = count;
        this.send = send;
        this.closeSession = closeSession;
    }

    /** A frame arrived: the client is alive. */
    void heardFrom() {
        lastReceivedNanos = System.nanoTime();
        unansweredPings.set(0);
    }

    /**
     * A stream packet was taken after the reader waited for room: the wait was back-pressure, not silence, so it
     * must not count towards a PING.
     */
    void stillReceiving() {
        lastReceivedNanos = System.nanoTime();
    }

    /** A frame of the keepalive program: a PING gets its PONG; a PONG needs nothing more than {@link #heardFrom}. */
    void onMessage(Header h) {
        if (Keepalive.isPing(h)) {
            send.accept(Keepalive.pong());
        }
    }

    /** Starts our PINGs (CONNECT_SUPPORTS_FEATURE(PROGRAM_KEEPALIVE) does, as in libvirtd); once per client. */
    void start() {
        if (intervalSeconds <= 0 || !started.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("jvirtd-keepalive-" + clientId).start(this::loop);
    }

    /** The session ended: the PING thread returns. */
    void stop() {
        stopped.countDown();
    }

    private void loop() {
        long intervalNanos = TimeUnit.SECONDS.toNanos(intervalSeconds);
        try {
            while (!stopped.await(intervalSeconds, TimeUnit.SECONDS)) {
                if (System.nanoTime() - lastReceivedNanos < intervalNanos) {
                    continue;
                }
                if (unansweredPings.get() >= count) {
                    LOG.log(
                            System.Logger.Level.INFO,
                            "client {0}: no answer to {1} keepalive PINGs, closing",
                            clientId,
                            count);
                    closeSession.run();
                    return;
                }
                unansweredPings.incrementAndGet();
                send.accept(Keepalive.ping());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
