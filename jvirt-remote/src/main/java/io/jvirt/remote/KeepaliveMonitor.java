package io.jvirt.remote;

import io.jvirt.api.VirtException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The client's side of libvirt's keepalive: after {@code interval} without receiving anything it sends a PING,
 * and after {@code count} PINGs without receiving anything it declares the peer dead, as libvirt's client does
 * (about interval × (count + 1) of silence). Anything received resets it. Runs on its own virtual thread, started
 * once keepalive is negotiated; {@link #received} is called by the reader thread.
 */
final class KeepaliveMonitor {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopped = lock.newCondition();
    private final AtomicInteger missed = new AtomicInteger();
    private volatile long lastReceived = System.nanoTime();
    private volatile boolean paused;
    private boolean running;

    /** Something arrived from the peer. */
    void received() {
        lastReceived = System.nanoTime();
        missed.set(0);
    }

    /**
     * While the reader deliberately stops reading (a full stream buffer), silence proves nothing about the peer.
     */
    void pause(boolean pause) {
        paused = pause;
        if (!pause) {
            received();
        }
    }

    /** PINGs sent since the peer was last heard. */
    int missedPings() {
        return missed.get();
    }

    void start(String name, Duration interval, int count, Runnable ping, Consumer<VirtException> dead) {
        lock.lock();
        try {
            if (running) {
                return;
            }
            running = true;
        } finally {
            lock.unlock();
        }
        received();
        long intervalNanos = interval.toNanos();
        Thread.ofVirtual().name("jvirt-remote-keepalive " + name).start(() -> {
            while (waitFor(intervalNanos)) {
                long silent = System.nanoTime() - lastReceived;
                if (paused || silent < intervalNanos) {
                    continue;
                }
                if (missed.get() >= count) {
                    dead.accept(RemoteErrors.keepaliveTimeout(TimeUnit.NANOSECONDS.toMillis(silent)));
                    return;
                }
                missed.incrementAndGet();
                ping.run();
            }
        });
    }

    void stop() {
        lock.lock();
        try {
            running = false;
            stopped.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits one interval; false once stopped. */
    private boolean waitFor(long nanos) {
        lock.lock();
        try {
            long left = nanos;
            while (running && left > 0) {
                left = stopped.awaitNanos(left);
            }
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }
}
