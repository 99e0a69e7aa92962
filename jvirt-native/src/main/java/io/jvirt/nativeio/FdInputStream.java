package io.jvirt.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An {@link InputStream} over a raw fd (typically a pipe's read end), reading through one reused native buffer.
 * The stream owns the fd and closes it on {@link #close()}.
 *
 * <p>Threading: {@code read} blocks in the kernel; call it from platform threads only, since a blocking native
 * call pins a virtual thread's carrier. Closing from another thread does not wake a reader blocked on a pipe (the
 * kernel has no shutdown for pipes): close the pipe's write end to wake it; the fd itself is released only after
 * that read returns, so its number is never reused under the reader.
 */
public final class FdInputStream extends InputStream {
    private final FdHandle handle;
    private final MemorySegment buffer;
    private final ReentrantLock readLock = new ReentrantLock();

    /** Takes ownership of {@code fd}; each read transfers at most {@code bufferSize} bytes. */
    public FdInputStream(int fd, int bufferSize) {
        if (bufferSize <= 0) {
            throw new IllegalArgumentException("buffer size must be positive, got " + bufferSize);
        }
        this.handle = new FdHandle(fd, "fd input stream");
        this.buffer = Arena.ofAuto().allocate(bufferSize);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        readLock.lock();
        try {
            int fd = handle.acquire();
            try {
                long n = NativeFds.read(fd, buffer, Math.min(len, buffer.byteSize()));
                if (n > 0) {
                    MemorySegment.copy(buffer, JAVA_BYTE, 0, b, off, (int) n);
                }
                return (int) n;
            } finally {
                handle.release();
            }
        } finally {
            readLock.unlock();
        }
    }

    /** Idempotent. */
    @Override
    public void close() {
        handle.close(fd -> {});
    }
}
