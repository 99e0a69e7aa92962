package io.jvirt.driver.migration.tunnel;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.NativeIOException;
import io.jvirt.nativeio.Pipe;
import io.jvirt.nativeio.SpliceSocket;
import io.jvirt.nativeio.SpliceSource;
import io.jvirt.qmp.Monitor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ReadableByteChannel;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The source end of a tunnelled migration: QEMU migrates to {@code fd:migrate}, the write end of a pipe passed
 * with getfd; the read end is offered as a {@link ReadableByteChannel} that the destination connection pumps into
 * its stream on a thread of its own (see {@link io.jvirt.api.MigrationPhases#migratePrepareTunnel3}), so Perform's
 * thread stays free to wait on QEMU and the job can be watched, re-tuned and aborted meanwhile.
 *
 * <p>The channel is a {@link SpliceSource}: a pump that can splices the pipe's bytes into its socket unread.
 * Otherwise reads fill the caller's buffer to at least {@link #MIN_CHUNK} bytes (or its end, or QEMU's end of
 * stream), so the stream carries full packets; a direct buffer is filled by the kernel with no copy (see
 * {@link TunnelReadEnd}). {@link #close()} (abort, failure) closes our end of the pipe before
 * anyone cancels QEMU's migration; from then on reads fail instead of reporting a clean end, so a cancelled
 * migration never looks like a finished one to the destination.
 *
 * <p>Threading: {@link #channel()} is read by the pump thread; the rest runs on Perform's or an aborting thread.
 */
public final class SourceTunnel implements OutgoingTransport {
    static final String FD_NAME = "migrate";
    /** Pipe buffer asked of the kernel; the default pipe-max-size lets an unprivileged process have it. */
    static final int PIPE_BYTES = 1 << 20;
    /** Reads return no less than this unless QEMU's stream ended. */
    static final int MIN_CHUNK = 256 << 10;

    private final Pipe pipe;
    private final TunnelReadEnd in;
    private final Supplier<VirtException> lost;
    private final AtomicBoolean qemuEndClosed = new AtomicBoolean();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final CountDownLatch released = new CountDownLatch(1);
    private final Channel channel = new Channel();
    private volatile boolean endOfStream;
    private volatile long bytes;

    private SourceTunnel(Pipe pipe, Supplier<VirtException> lost) {
        this.pipe = pipe;
        this.in = new TunnelReadEnd(pipe.readFd());
        this.lost = lost;
    }

    /** A new pipe; {@code lost} says when the destination is gone. */
    public static SourceTunnel open(Supplier<VirtException> lost) {
        return new SourceTunnel(openPipe(), lost);
    }

    /** A pipe of {@link #PIPE_BYTES}, or the kernel's default size where that is not allowed. */
    static Pipe openPipe() {
        try {
            try {
                return Pipe.open(PIPE_BYTES);
            } catch (NativeIOException e) {
                return Pipe.open(0);
            }
        } catch (NativeIOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR,
                    ErrorDomain.QEMU,
                    "cannot create a pipe for tunnelled migration: " + e.getMessage(),
                    e);
        }
    }

    /** What the destination connection reads QEMU's migration stream from. */
    public ReadableByteChannel channel() {
        return channel;
    }

    /** Bytes handed to the destination connection so far. */
    public long bytes() {
        return bytes;
    }

    @Override
    public String uri() {
        return "fd:" + FD_NAME;
    }

    @Override
    public void attach(String domain, Monitor monitor) {
        MonitorCalls.run(domain, () -> monitor.getfd(FD_NAME, pipe.writeFd()));
        // QEMU holds its own copy now; ours would keep the pipe from ever reaching its end.
        closeQemuEnd();
    }

    @Override
    public void close() {
        aborted.set(true);
        in.close();
        closeQemuEnd();
    }

    @Override
    public VirtException lost() {
        return lost.get();
    }

    @Override
    public void drain() {
        TunnelDrain.drain(List.of(channel), lost);
    }

    private void closeQemuEnd() {
        if (qemuEndClosed.compareAndSet(false, true)) {
            NativeFds.closeQuietly(pipe.writeFd());
        }
    }

    /** The pipe's read end as the pump sees it: read, or spliced when the pump can. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // bytes has one writer, the pump thread; volatile publishes it
    private final class Channel implements SpliceSource, TunnelDrain.Sent {
        private final AtomicBoolean open = new AtomicBoolean(true);

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!open.get() || aborted.get()) {
                throw new AsynchronousCloseException();
            }
            int total = 0;
            while (dst.hasRemaining()) {
                int n = readOnce(dst);
                if (aborted.get()) {
                    throw new AsynchronousCloseException();
                }
                if (n < 0) {
                    if (total == 0) {
                        endOfStream = true;
                        return -1;
                    }
                    break;
                }
                total += n;
                bytes += n;
                if (total >= MIN_CHUNK) {
                    break;
                }
            }
            return total;
        }

        private int readOnce(ByteBuffer dst) throws IOException {
            return in.read(dst);
        }

        @Override
        public int awaitBytes() throws IOException {
            if (!open.get() || aborted.get()) {
                throw new AsynchronousCloseException();
            }
            int n = in.awaitBytes();
            if (aborted.get()) {
                throw new AsynchronousCloseException();
            }
            if (n == 0) {
                endOfStream = true;
                return -1;
            }
            return n;
        }

        @Override
        public void spliceTo(SpliceSocket socket, int n) throws IOException {
            in.spliceTo(socket, n);
            bytes += n;
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }

        @Override
        public boolean awaitReleased(long timeout, TimeUnit unit) throws InterruptedException {
            return released.await(timeout, unit);
        }

        @Override
        public boolean ended() {
            return endOfStream;
        }

        /** The pump is done with it: at our end of stream when all went out, earlier when sending failed. */
        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                in.close();
                released.countDown();
            }
        }
    }
}
