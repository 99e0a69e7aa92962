package io.jvirt.daemon;

import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageLimits;
import io.jvirt.rpc.wire.StreamPackets;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The way back of a two-way stream (jvirt's NBD tunnel call): what the driver writes goes to the client as data
 * packets of the stream the call opened ({@link IncomingStream}), cut at libvirt's chunk size, never before the
 * call's OK reply; {@link #close()} sends the end of data (an empty data packet). Writes block while the
 * client's socket is full, as every frame does. Once the stream is over (aborted by the client, the session gone,
 * or closed by the driver) writes fail.
 *
 * <p>Threading: one writing thread (the driver's pump); close from that thread or the one that gives up.
 */
final class StreamReplies implements WritableByteChannel {
    private final IncomingStream stream;
    private final Consumer<Message> send;
    private final AtomicBoolean open = new AtomicBoolean(true);

    /** @param send writes a frame to the client */
    StreamReplies(IncomingStream stream, Consumer<Message> send) {
        this.stream = stream;
        this.send = send;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!open.get()) {
            throw new ClosedChannelException();
        }
        if (!live()) {
            throw new AsynchronousCloseException();
        }
        int n = src.remaining();
        while (src.hasRemaining()) {
            int chunk = Math.min(src.remaining(), MessageLimits.STREAM_CHUNK_MAX);
            send.accept(StreamPackets.data(stream.call(), src.slice(src.position(), chunk)));
            src.position(src.position() + chunk);
        }
        return n;
    }

    private boolean live() throws InterruptedIOException {
        try {
            return stream.awaitOpened();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("waiting for the stream's call to be answered");
        }
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    /** Sends the end of data, unless the stream is over already. */
    @Override
    public void close() throws IOException {
        if (open.compareAndSet(true, false) && live()) {
            send.accept(StreamPackets.endOfData(stream.call()));
        }
    }
}
