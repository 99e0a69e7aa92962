package io.jvirt.driver.migration.tunnel;

import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.PipeWait;
import io.jvirt.nativeio.SpliceSocket;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;

/**
 * The read end of the source's tunnel pipe, read straight into the caller's buffer: a direct buffer is filled by
 * the kernel with no copy on the JVM's side (the stream sender's buffer is one), a heap buffer through a native
 * buffer made on first use. Owns the fd: {@link #close()} releases it at once when no read runs, otherwise when
 * the running read returns (the kernel has no shutdown for pipes; closing QEMU's write end wakes the reader), so
 * the number is never reused under a reader.
 *
 * <p>Threading: one reading thread (a platform thread: the read blocks in the kernel); close from any thread.
 */
final class TunnelReadEnd implements AutoCloseable {
    private final int fd;
    private int readers;
    private boolean closing;
    private boolean released;
    private MemorySegment scratch;

    TunnelReadEnd(int fd) {
        this.fd = fd;
    }

    /** Reads what the pipe holds, up to {@code dst.remaining()}; -1 at the end of QEMU's stream. */
    int read(ByteBuffer dst) throws IOException {
        int len = dst.remaining();
        if (len == 0) {
            return 0;
        }
        acquire();
        try {
            if (dst.isDirect()) {
                long n = NativeFds.read(fd, MemorySegment.ofBuffer(dst), len);
                if (n > 0) {
                    dst.position(dst.position() + (int) n);
                }
                return (int) n;
            }
            if (scratch == null) {
                scratch = Arena.ofAuto().allocate(SourceTunnel.PIPE_BYTES);
            }
            long n = NativeFds.read(fd, scratch, Math.min(len, scratch.byteSize()));
            if (n > 0) {
                dst.put(scratch.asSlice(0, n).asByteBuffer());
            }
            return (int) n;
        } finally {
            release();
        }
    }

    /** Blocks until the pipe holds bytes or QEMU's end is closed; how many it holds (0: the end). */
    int awaitBytes() throws IOException {
        acquire();
        try {
            return PipeWait.awaitBytes(fd);
        } finally {
            release();
        }
    }

    /** Moves exactly {@code bytes} of what the pipe holds into {@code socket}. */
    void spliceTo(SpliceSocket socket, int bytes) throws IOException {
        acquire();
        try {
            socket.fromPipe(fd, bytes);
        } finally {
            release();
        }
    }

    /** Idempotent. */
    @Override
    public void close() {
        boolean now;
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            now = readers == 0;
            released |= now;
        }
        if (now) {
            NativeFds.closeQuietly(fd);
        }
    }

    private synchronized void acquire() throws AsynchronousCloseException {
        if (closing) {
            throw new AsynchronousCloseException();
        }
        readers++;
    }

    private void release() {
        boolean now;
        synchronized (this) {
            readers--;
            now = closing && readers == 0 && !released;
            released |= now;
        }
        if (now) {
            NativeFds.closeQuietly(fd);
        }
    }
}
