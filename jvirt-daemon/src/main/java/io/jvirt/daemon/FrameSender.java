package io.jvirt.daemon;

import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageEncoder;
import io.jvirt.rpc.xdr.XdrException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Writes one client's frames, one whole frame at a time under one lock, so replies, events, PINGs and stream
 * packets never interleave on the wire. A failed write ends the session; frames sent after it closed are dropped.
 *
 * <p>Threading: any thread that has something to send (the reader for PONGs and refusals, call threads for
 * replies, the event thread, the keepalive thread, a driver's pump for stream packets).
 */
final class FrameSender {
    private static final System.Logger LOG = System.getLogger(FrameSender.class.getName());

    private final long clientId;
    private final WritableByteChannel out;
    private final BooleanSupplier closed;
    private final Runnable onFailure;
    private final Duration stallLimit;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Reuses its buffer, so it is used under {@link #writeLock} only. */
    private final MessageEncoder encoder = new MessageEncoder();

    /**
     * @param closed     whether the session has ended (then nothing is written)
     * @param onFailure  ends the session after a failed write or a stall
     * @param stallLimit how long a frame may wait for the previous one to be written; null waits for ever
     */
    FrameSender(
            long clientId, WritableByteChannel out, BooleanSupplier closed, Runnable onFailure, Duration stallLimit) {
        this.clientId = clientId;
        this.out = out;
        this.closed = closed;
        this.onFailure = onFailure;
        this.stallLimit = stallLimit;
    }

    /** Writes one frame; a failed write or a client that stopped reading ends the session. */
    void send(Message m) {
        if (!lock()) {
            return;
        }
        try {
            if (closed.getAsBoolean()) {
                return;
            }
            ByteBuffer frame = encoder.encode(m);
            while (frame.hasRemaining()) {
                out.write(frame);
            }
        } catch (IOException | XdrException e) {
            LOG.log(System.Logger.Level.DEBUG, "client {0}: write failed: {1}", clientId, e.toString());
            onFailure.run();
        } finally {
            writeLock.unlock();
        }
    }

    /** Takes the write lock; false (and the session ended) when the frame before stays stuck past the limit. */
    private boolean lock() {
        if (stallLimit == null) {
            writeLock.lock();
            return true;
        }
        try {
            if (writeLock.tryLock(stallLimit.toNanos(), TimeUnit.NANOSECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false; // only a closing session interrupts its senders
        }
        if (!closed.getAsBoolean()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "client {0}: no frame written for {1} s, the client does not read; closing it",
                    clientId,
                    stallLimit.toSeconds());
            onFailure.run();
        }
        return false;
    }
}
