package io.jvirt.remote;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageLimits;
import io.jvirt.rpc.wire.MessageStatus;
import io.jvirt.rpc.wire.RemoteError;
import io.jvirt.rpc.wire.StreamPackets;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The data stream a call opened (tunnelled migration, console, screenshot), named by that call's serial.
 *
 * <p>Sending: {@link #send} cuts data into packets of at most {@link MessageLimits#STREAM_CHUNK_MAX} bytes and
 * writes them with blocking socket writes, so a peer that reads slowly slows the sender (libvirt has no credit
 * window; this is its back-pressure). {@link #finish} ends the data and waits for the peer's confirmation;
 * {@link #abort} gives up.
 *
 * <p>Receiving: the reader thread queues incoming data; once {@link RemoteOptions#streamBufferBytes} are unread,
 * it stops reading the socket until {@link #receive} takes some, which in turn stops the peer (and delays other
 * replies on this connection until then). {@link #receive} returns null at the peer's end of data, or once this
 * side's finish or abort was confirmed (a two-way stream whose sender ended it).
 *
 * <p>One thread sends and one receives at a time; the packet side runs on the connection's reader thread.
 */
public final class RemoteStream implements AutoCloseable {
    private final RpcClient client;
    private final Header call;
    private final int bufferLimit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuffer> incoming = new ArrayDeque<>();
    private int buffered;
    private boolean endOfData;
    private boolean confirmed;
    private boolean done;
    private VirtException error;

    RemoteStream(RpcClient client, Header call, int bufferLimit) {
        this.client = client;
        this.call = call;
        this.bufferLimit = bufferLimit;
    }

    int procedure() {
        return call.procedure();
    }

    int serial() {
        return call.serial();
    }

    /** Sends all of {@code data}; blocks while the peer is not reading. */
    public void send(ByteBuffer data) {
        ByteBuffer rest = data.duplicate();
        while (rest.hasRemaining()) {
            checkUsable();
            int n = Math.min(rest.remaining(), MessageLimits.STREAM_CHUNK_MAX);
            ByteBuffer chunk = rest.slice(rest.position(), n);
            rest.position(rest.position() + n);
            client.write(StreamPackets.data(call, chunk));
        }
    }

    /** Whether {@link #sendSpliced} can be used on this stream's connection. */
    boolean canSplice() {
        return client.canSplice();
    }

    /**
     * Sends one data packet of {@code bytes} (at most {@link MessageLimits#STREAM_CHUNK_MAX}) that {@code payload}
     * moves into the socket itself; blocks while the peer is not reading.
     */
    void sendSpliced(int bytes, RpcClient.SplicedPayload payload) {
        if (bytes <= 0 || bytes > MessageLimits.STREAM_CHUNK_MAX) {
            throw new IllegalArgumentException("spliced packet of " + bytes + " bytes");
        }
        checkUsable();
        client.writeSpliced(call.stream(MessageStatus.CONTINUE), bytes, payload);
    }

    public void send(byte[] data) {
        send(ByteBuffer.wrap(data));
    }

    /**
     * The next chunk of data, waiting for one; null once the peer has sent all its data.
     *
     * @throws VirtException if the peer reported an error, the stream was aborted or the connection was lost
     */
    public ByteBuffer receive() {
        lock.lock();
        try {
            // Once our finish or abort was confirmed the peer sends nothing more on this stream.
            while (incoming.isEmpty() && !endOfData && error == null && !confirmed) {
                changed.await();
            }
            ByteBuffer next = incoming.poll();
            if (next != null) {
                buffered -= next.remaining();
                changed.signalAll();
                return next;
            }
            if (error != null) {
                throw RpcClient.copy(error);
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.STREAMS, "interrupted reading a stream");
        } finally {
            lock.unlock();
        }
    }

    /** Unread bytes held for {@link #receive}. */
    public int bufferedBytes() {
        lock.lock();
        try {
            return buffered;
        } finally {
            lock.unlock();
        }
    }

    /** Ends this side's data (STREAM/OK) and waits until the peer confirms it, or throws its error. */
    public void finish() {
        checkUsable();
        end(StreamPackets.finish(call), true);
    }

    /** Abandons the stream (STREAM/ERROR) and waits for the peer to acknowledge; the peer's error is ignored. */
    public void abort() {
        lock.lock();
        try {
            if (done) {
                return;
            }
        } finally {
            lock.unlock();
        }
        try {
            end(StreamPackets.abort(call), false);
        } catch (VirtException e) {
            // Aborting means we no longer care what went wrong on the other side.
        }
    }

    /** Aborts unless finished. */
    @Override
    public void close() {
        abort();
    }

    /** The reader thread's side: one STREAM packet of this stream. */
    void onPacket(Message m, KeepaliveMonitor keepalive) {
        lock.lock();
        try {
            switch (StreamPackets.kind(m)) {
                case DATA -> {
                    ByteBuffer copy = ByteBuffer.allocate(m.payloadSize())
                            .put(m.payload().duplicate())
                            .flip();
                    if (buffered > 0 && buffered + copy.remaining() > bufferLimit) {
                        keepalive.pause(true);
                        try {
                            while (buffered > 0
                                    && buffered + copy.remaining() > bufferLimit
                                    && error == null
                                    && !done) {
                                changed.awaitUninterruptibly();
                            }
                        } finally {
                            keepalive.pause(false);
                        }
                    }
                    if (error == null && !done) {
                        incoming.add(copy);
                        buffered += copy.remaining();
                    }
                }
                case END_OF_DATA -> endOfData = true;
                case FINISH -> confirmed = true;
                case ERROR -> error = m.decode(RemoteError.CODEC).toClientException();
                case ABORT ->
                    error = VirtException.of(
                            ErrorCode.OPERATION_ABORTED, ErrorDomain.STREAMS, "stream aborted by the peer");
                case HOLE -> error = VirtException.of(ErrorCode.RPC, ErrorDomain.STREAMS, "Unexpected stream hole");
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The connection is gone. */
    void fail(VirtException cause) {
        lock.lock();
        try {
            if (error == null) {
                error = cause;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void end(Message packet, boolean throwError) {
        lock.lock();
        try {
            done = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            client.write(packet);
            lock.lock();
            try {
                while (!confirmed && error == null) {
                    changed.await();
                }
                if (!confirmed && throwError) {
                    throw RpcClient.copy(error);
                }
            } finally {
                lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.STREAMS, "interrupted ending a stream");
        } finally {
            client.forgetStream(call.serial());
        }
    }

    private void checkUsable() {
        lock.lock();
        try {
            if (error != null) {
                throw RpcClient.copy(error);
            }
            if (done) {
                throw VirtException.of(ErrorCode.INVALID_STREAM, ErrorDomain.STREAMS, "stream already finished");
            }
        } finally {
            lock.unlock();
        }
    }
}
