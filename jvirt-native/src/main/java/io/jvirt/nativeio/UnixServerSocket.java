package io.jvirt.nativeio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A listening AF_UNIX stream socket bound to a path; {@link #accept()} returns {@link UnixSocket}s that can
 * receive fds. Threading: accept blocks in the kernel (pinning a virtual thread), so run accept loops on a
 * platform thread; {@link #close()} from another thread wakes it, after which accept fails with
 * {@link NativeIOException} (errno EBADF).
 */
public final class UnixServerSocket implements AutoCloseable {
    private static final int BACKLOG = 16;

    private final FdHandle handle;
    private final Path path;
    private final boolean ownsPath;

    private UnixServerSocket(int fd, Path path) {
        this(fd, path, true);
    }

    private UnixServerSocket(int fd, Path path, boolean ownsPath) {
        this.handle = new FdHandle(fd, "unix server socket " + path);
        this.path = path;
        this.ownsPath = ownsPath;
    }

    /**
     * A listening socket this process inherited (systemd's socket activation hands them over as fds 3 and up):
     * it is taken over as a close-on-exec copy (so that QEMU children do not inherit it), and its file, which
     * belongs to whoever bound it, is left alone on close.
     *
     * @param description what the socket is, for messages
     */
    public static UnixServerSocket inherited(int fd, Path description) throws NativeIOException {
        int copy = NativeFds.dup(fd);
        NativeFds.closeQuietly(fd);
        return new UnixServerSocket(copy, description, false);
    }

    /** Binds and listens at {@code path}, which must not exist yet. */
    public static UnixServerSocket bind(Path path) throws NativeIOException {
        int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = SocketStructs.unixAddress(arena, path);
            Libc.bind(fd, address, (int) address.byteSize());
            Libc.listen(fd, BACKLOG);
            return new UnixServerSocket(fd, path);
        } catch (NativeIOException e) {
            NativeFds.closeQuietly(fd);
            throw new NativeIOException(e.call(), e.errno(), e.getMessage() + " [" + path + "]");
        }
    }

    /** Waits for the next client. */
    public UnixSocket accept() throws NativeIOException {
        int fd = handle.acquire();
        try {
            int client = Libc.accept4(fd, Libc.SOCK_CLOEXEC);
            return new UnixSocket(client);
        } catch (NativeIOException e) {
            throw handle.isClosed() ? NativeIOException.closed("accept on " + path) : e;
        } finally {
            handle.release();
        }
    }

    public Path path() {
        return path;
    }

    public boolean isClosed() {
        return handle.isClosed();
    }

    /** Idempotent; wakes a blocked accept and removes the socket file. */
    @Override
    public void close() {
        handle.close(UnixSocket::shutdownQuietly);
        if (!ownsPath) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // Left-over socket files are harmless: bind on the same path fails loudly if one is reused.
        }
    }
}
