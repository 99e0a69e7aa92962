package io.jvirt.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
        int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = SocketStructs.unixAddress(arena, path);
            Libc.connect(fd, address, (int) address.byteSize());
            return new UnixDatagram(fd);
        } catch (NativeIOException e) {
            NativeFds.closeQuietly(fd);
            throw new NativeIOException(e.call(), e.errno(), e.getMessage() + " [" + path + "]");
        }
    }

    /** Sends {@code datagram} whole, as one datagram. */
    public void send(byte[] datagram) throws NativeIOException {
        int fd = handle.acquire();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Math.max(1, datagram.length));
            MemorySegment.copy(datagram, 0, buffer, ValueLayout.JAVA_BYTE, 0, datagram.length);
            Libc.write(fd, buffer, datagram.length);
        } finally {
            handle.release();
        }
    }

    @Override
    public void close() {
        handle.close(fd -> {}); // a send never blocks for long: the last one closes the fd when it returns
    }
}
