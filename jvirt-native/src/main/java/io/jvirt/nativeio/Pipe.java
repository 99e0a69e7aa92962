package io.jvirt.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A kernel pipe's two ends, both close-on-exec. The caller owns both fds and closes each with
 * {@link NativeFds#close(int)} (or hands one to an {@link FdInputStream}/{@link FdOutputStream}, which then owns it).
 * Typical use: pass {@code writeFd} to QEMU with getfd, close it here, pump {@code readFd} on a platform thread.
 */
public record Pipe(int readFd, int writeFd) {

    /**
     * Opens a pipe; a positive {@code sizeBytes} asks the kernel for that buffer size (F_SETPIPE_SZ, rounded up
     * by the kernel; above /proc/sys/fs/pipe-max-size an unprivileged process gets EPERM). 0 keeps the default.
     */
    public static Pipe open(int sizeBytes) throws NativeIOException {
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("pipe size must be >= 0, got " + sizeBytes);
        }
        Pipe pipe;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            Libc.pipe2(fds, Libc.O_CLOEXEC);
            pipe = new Pipe(fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1));
        }
        if (sizeBytes > 0) {
            try {
                Libc.fcntl(pipe.writeFd, Libc.F_SETPIPE_SZ, sizeBytes);
            } catch (NativeIOException e) {
                NativeFds.closeQuietly(pipe.readFd);
                NativeFds.closeQuietly(pipe.writeFd);
                throw e;
            }
        }
        return pipe;
    }
}
