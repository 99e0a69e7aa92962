package io.jvirt.driver.migration.tunnel;

import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.Pipe;
import io.jvirt.nativeio.SpliceSocket;
import io.jvirt.nativeio.SpliceSource;
import io.jvirt.nativeio.UnixSocket;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One channel of a source's tunnel with several channels ({@link SourceTunnelChannels}): the connection QEMU made
 * to jvirt's socket, offered to a stream sender. The sender may start before QEMU connects (its stream is opened
 * at Prepare), so it waits for the connection. A splicing sender moves each packet from the socket through a pipe
 * of this channel's own into its own socket, in the kernel; another sender reads it. After {@link #abort()} reads
 * fail instead of reporting a clean end, so a cancelled migration never looks finished to the destination.
 *
 * <p>Threading: one sending thread (a platform thread: the calls block in the kernel); {@link #connected} runs on
 * the accepting thread, {@link #abort()} on Perform's or an aborting thread.
 */
@SuppressWarnings("NonAtomicVolatileUpdate") // bytes has one writer, the sending thread; volatile publishes it
final class TunnelChannelSource implements SpliceSource, TunnelDrain.Sent {
    private final CompletableFuture<UnixSocket> socket = new CompletableFuture<>();
    private final Pipe pipe;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean aborted;
    private volatile boolean endOfStream;
    private volatile long bytes;
    private byte[] copyBuffer;

    TunnelChannelSource() {
        this.pipe = SourceTunnel.openPipe();
    }

    /** QEMU connected this channel. */
    void connected(UnixSocket s) {
        if (!socket.complete(s) || aborted || !open.get()) {
            s.close();
        }
    }

    /** Ends the channel at once, from outside: a blocked sender wakes and fails. */
    void abort() {
        aborted = true;
        socket.completeExceptionally(new AsynchronousCloseException());
        socket.thenAccept(UnixSocket::close);
    }

    /** Whether the sender read QEMU's clean end of this channel. */
    @Override
    public boolean ended() {
        return endOfStream;
    }

    long bytes() {
        return bytes;
    }

    /** Waits until the sender is done with this channel. */
    @Override
    public boolean awaitReleased(long timeout, TimeUnit unit) throws InterruptedException {
        return released.await(timeout, unit);
    }

    @Override
    public int awaitBytes() throws IOException {
        int n = socket().awaitBytes();
        if (aborted) {
            throw new AsynchronousCloseException();
        }
        if (n == 0) {
            endOfStream = true;
            return -1;
        }
        return n;
    }

    @Override
    public void spliceTo(SpliceSocket out, int n) throws IOException {
        socket().spliceToPipe(pipe.writeFd(), n);
        out.fromPipe(pipe.readFd(), n);
        bytes += n;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        UnixSocket s = socket();
        if (copyBuffer == null) {
            copyBuffer = new byte[SourceTunnel.MIN_CHUNK];
        }
        int n = s.read(copyBuffer, 0, Math.min(dst.remaining(), copyBuffer.length));
        if (aborted) {
            throw new AsynchronousCloseException();
        }
        if (n < 0) {
            endOfStream = true;
            return -1;
        }
        dst.put(copyBuffer, 0, n);
        bytes += n;
        return n;
    }

    private UnixSocket socket() throws IOException {
        if (!open.get() || aborted) {
            throw new AsynchronousCloseException();
        }
        try {
            return socket.get();
        } catch (ExecutionException e) {
            throw new AsynchronousCloseException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("waiting for QEMU's connection");
        }
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    /** The sender is done with it (or it was never sent): the socket and the pipe go. */
    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            socket.completeExceptionally(new AsynchronousCloseException());
            socket.thenAccept(UnixSocket::close);
            NativeFds.closeQuietly(pipe.readFd());
            NativeFds.closeQuietly(pipe.writeFd());
            released.countDown();
        }
    }
}
