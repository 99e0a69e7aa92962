package io.jvirt.daemon;

import java.util.concurrent.Semaphore;

/**
 * The per-client bound on calls in progress ({@code max_client_requests}). Each call runs on a virtual thread of its
 * own; when all slots are taken the reader waits for one, which stops reading the client's socket, as libvirtd
 * does, so a client that floods calls is slowed by TCP rather than by the daemon's memory.
 *
 * <p>Threading: {@link #start} on the session's reader thread; a slot is freed on the call's own thread.
 */
final class CallSlots {
    private final Semaphore slots;

    CallSlots(int max) {
        this.slots = new Semaphore(max);
    }

    /** Waits for a free slot, then runs {@code call} on a new virtual thread named {@code threadName}. */
    void start(String threadName, Runnable call) throws InterruptedException {
        slots.acquire();
        try {
            Thread.ofVirtual().name(threadName).start(() -> {
                try {
                    call.run();
                } finally {
                    slots.release();
                }
            });
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }
}
