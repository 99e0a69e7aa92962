package io.jvirt.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Plain fd operations for code that holds raw descriptors (pipes, fds received over a socket).
 * The reads and writes block the calling thread in the kernel; on a virtual thread they pin the carrier,
 * so pump fds from platform threads.
 */
public final class NativeFds {
    private NativeFds() {}

    /** Closes {@code fd}. Never retried: on Linux the fd is gone even when close reports EINTR. */
    public static void close(int fd) throws NativeIOException {
        Libc.close(fd);
    }

    /** Closes {@code fd}, ignoring errors; for cleanup paths that already have a failure to report. */
    public static void closeQuietly(int fd) {
        try {
            Libc.close(fd);
        } catch (NativeIOException ignored) {
            // The caller is cleaning up; a failed close has nothing left to undo.
        }
    }

    /** Reads up to {@code length} bytes into native memory; returns -1 at end of file. */
    public static long read(int fd, MemorySegment buffer, long length) throws NativeIOException {
        Objects.checkFromIndexSize(0, length, buffer.byteSize());
        long n = Libc.read(fd, buffer, length);
        return n == 0 && length > 0 ? -1 : n;
    }

    /** Reads up to {@code len} bytes into {@code b[off..]}; returns -1 at end of file. Allocates a native buffer per call. */
    public static int read(int fd, byte[] b, int off, int len) throws NativeIOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(len);
            long n = read(fd, buffer, len);
            if (n > 0) {
                MemorySegment.copy(buffer, JAVA_BYTE, 0, b, off, (int) n);
            }
            return (int) n;
        }
    }

    /** Writes all {@code length} bytes of {@code buffer}, looping over partial writes. */
    public static void write(int fd, MemorySegment buffer, long length) throws NativeIOException {
        Objects.checkFromIndexSize(0, length, buffer.byteSize());
        long done = 0;
        while (done < length) {
            done += Libc.write(fd, buffer.asSlice(done), length - done);
        }
    }

    /** Writes all of {@code b[off..off+len)}. Allocates a native buffer per call. */
    public static void write(int fd, byte[] b, int off, int len) throws NativeIOException {
        Objects.checkFromIndexSize(off, len, b.length);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Math.max(len, 1));
            MemorySegment.copy(b, off, buffer, JAVA_BYTE, 0, len);
            write(fd, buffer, len);
        }
    }

    /** A new close-on-exec descriptor for the same open file, owned by the caller. */
    public static int dup(int fd) throws NativeIOException {
        return Libc.fcntl(fd, Libc.F_DUPFD_CLOEXEC, 0);
    }

    /** Opens {@code path} read-write and close-on-exec (a character device such as /dev/vhost-net). */
    public static int openReadWrite(String path) throws NativeIOException {
        return Libc.open(path, Libc.O_RDWR | Libc.O_CLOEXEC);
    }

    /** The kernel buffer size of a pipe, in bytes. */
    public static int pipeSize(int fd) throws NativeIOException {
        return Libc.fcntl(fd, Libc.F_GETPIPE_SZ, 0);
    }
}
