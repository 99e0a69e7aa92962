package io.jvirt.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * A connected AF_UNIX datagram socket, which JDK channels cannot make: each {@link #send} is one datagram to the
 * socket it was connected to (systemd-journald's native socket takes log entries this way).
 *
 * <p>Threading: safe for several threads; each send is one system call, and {@link #close} during one releases the
 * descriptor once it returned.
 */
public final class UnixDatagram implements AutoCloseable {
    private final FdHandle handle;

    private UnixDatagram(int fd) {
        this.handle = new FdHandle(fd, "unix datagram socket");
    }

    /** A socket whose datagrams go to the one bound at {@code path}. */
    public static UnixDatagram connect(Path path) throws NativeIOException {
        return new UnixDatagram(UnixSocket.connectedFd(path, Libc.SOCK_DGRAM));
    }

    /** A socket bound at {@code path} that {@linkplain #receive receives} datagrams (a stand-in journald, say). */
    public static UnixDatagram bind(Path path) throws NativeIOException {
        int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = SocketStructs.unixAddress(arena, path);
            Libc.bind(fd, address, (int) address.byteSize());
            return new UnixDatagram(fd);
        } catch (NativeIOException e) {
            NativeFds.closeQuietly(fd);
            throw new NativeIOException(e.call(), e.errno(), e.getMessage() + " [" + path + "]");
        }
    }

    /** Waits for the next datagram; returns its bytes, cut to {@code max}. */
    public byte[] receive(int max) throws NativeIOException {
        int fd = handle.acquire();
        try {
            byte[] b = new byte[max];
            int n = NativeFds.read(fd, b, 0, max);
            return java.util.Arrays.copyOf(b, Math.max(n, 0));
        } finally {
            handle.release();
        }
    }

    /** Sends {@code datagram} whole, as one datagram. */
    public void send(byte[] datagram) throws NativeIOException {
        int fd = handle.acquire();
        try {
            NativeFds.write(fd, datagram, 0, datagram.length);
        } finally {
            handle.release();
        }
    }

    @Override
    public void close() {
        handle.close(fd -> {}); // a send never blocks for long: the last one closes the fd when it returns
    }
}
