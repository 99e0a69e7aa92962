package io.jvirt.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An {@link OutputStream} over a raw fd (typically a pipe's write end), writing through one reused native buffer.
 * The stream owns the fd and closes it on {@link #close()}; writes are unbuffered (each call reaches the kernel).
 *
 * <p>Threading: {@code write} blocks while the pipe is full; call it from platform threads only, since a blocking
 * native call pins a virtual thread's carrier. A write to a pipe whose reader is gone fails with EPIPE.
 */
public final class FdOutputStream extends OutputStream {
    private final FdHandle handle;
    private final MemorySegment buffer;
    private final ReentrantLock writeLock = new ReentrantLock();

    /** Takes ownership of {@code fd}; data is copied to the kernel in chunks of at most {@code bufferSize}. */
    public FdOutputStream(int fd, int bufferSize) {
        if (bufferSize <= 0) {
            throw new IllegalArgumentException("buffer size must be positive, got " + bufferSize);
        }
        this.handle = new FdHandle(fd, "fd output stream");
        this.buffer = Arena.ofAuto().allocate(bufferSize);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        writeLock.lock();
        try {
            int fd = handle.acquire();
            try {
                int done = 0;
                while (done < len) {
                    int chunk = (int) Math.min(len - done, buffer.byteSize());
                    MemorySegment.copy(b, off + done, buffer, JAVA_BYTE, 0, chunk);
                    NativeFds.write(fd, buffer, chunk);
                    done += chunk;
                }
            } finally {
                handle.release();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Idempotent. */
    @Override
    public void close() {
        handle.close(fd -> {});
    }
}
