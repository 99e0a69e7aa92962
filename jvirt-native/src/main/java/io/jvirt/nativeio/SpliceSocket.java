package io.jvirt.nativeio;

import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * A connected JDK socket seen as a raw descriptor, for moving bulk bytes between it and a pipe with splice(2): the
 * bytes go from page to page inside the kernel and never through the JVM's heap or buffers. Holds its own
 * duplicate of the channel's descriptor, so the number stays valid even after the channel closes its own; the
 * caller keeps the channel's other users off the socket while a transfer runs (a writer holds its write lock,
 * a reader is parked between frames), since splice bypasses the channel.
 *
 * <p>The JDK gives no public way to a channel's descriptor. {@link #of} reads it from the channel's
 * implementation, which needs {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (jvirt's jar manifest and
 * test runs grant it); without it, {@link #of} is empty and callers copy the bytes the ordinary way.
 *
 * <p>The JDK may have made the socket non-blocking (it does once a virtual thread used it): transfers wait in
 * poll(2) when the socket is not ready. They block in the kernel, so run them on platform threads.
 * {@link #close()} shuts the socket down, which wakes a blocked transfer, and releases the duplicate once no
 * transfer runs.
 */
public final class SpliceSocket implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SpliceSocket.class.getName());
    private static final Method FD_VALUE = fdValueMethod();
    // No SPLICE_F_MORE: it corks the socket, and a packet's tail would wait for the next frame (or forever).
    private static final int FLAGS = Libc.SPLICE_F_MOVE;

    private static volatile boolean disabled;

    private final FdHandle fd;

    private SpliceSocket(int fd) {
        this.fd = new FdHandle(fd, "splice socket");
    }

    /** A duplicate of {@code channel}'s descriptor, or empty when this JVM does not let jvirt read it. */
    public static Optional<SpliceSocket> of(SocketChannel channel) {
        if (!available() || !channel.isOpen()) {
            return Optional.empty();
        }
        try {
            int raw = (int) FD_VALUE.invoke(channel);
            return Optional.of(new SpliceSocket(NativeFds.dup(raw)));
        } catch (ReflectiveOperationException | RuntimeException | NativeIOException e) {
            LOG.log(Level.DEBUG, "no descriptor for {0}: {1}", channel, e.toString());
            return Optional.empty();
        }
    }

    /** Whether {@link #of} can work in this JVM. */
    public static boolean available() {
        return FD_VALUE != null && !disabled;
    }

    /** Splicing failed its trial here ({@link SpliceWarmup}): from now on {@link #of} is always empty. */
    static void disable() {
        disabled = true;
    }

    /** Moves exactly {@code length} bytes from {@code pipeFd} (which must hold at least that many) into the socket. */
    public void fromPipe(int pipeFd, long length) throws IOException {
        int sock = fd.acquire();
        try {
            move(pipeFd, sock, length, sock, Libc.POLLOUT, "the tunnel's pipe ended %d bytes short");
        } finally {
            fd.release();
        }
    }

    /** Moves exactly {@code length} bytes from the socket into {@code pipeFd}; blocks while the pipe is full. */
    public void toPipe(int pipeFd, long length) throws IOException {
        int sock = fd.acquire();
        try {
            move(sock, pipeFd, length, sock, Libc.POLLIN, "the connection ended %d bytes into a packet");
        } finally {
            fd.release();
        }
    }

    /** Splices until {@code length} bytes moved, waiting on the socket for {@code ready} whenever it would block. */
    private void move(int in, int out, long length, int sock, short ready, String shortBy) throws IOException {
        long done = 0;
        while (done < length) {
            long n = Libc.splice(in, out, length - done, FLAGS);
            if (n < 0) {
                if (fd.isClosed()) {
                    throw NativeIOException.closed("splice socket");
                }
                Libc.poll(sock, ready, -1);
            } else if (n == 0) {
                throw new EOFException(String.format(shortBy, length - done));
            } else {
                done += n;
            }
        }
    }

    /** Shuts the socket down (waking a blocked transfer) and releases the duplicate. Idempotent. */
    @Override
    public void close() {
        fd.close(f -> {
            try {
                Libc.shutdown(f, Libc.SHUT_RDWR);
            } catch (NativeIOException e) {
                // Not connected any more: nothing to wake.
            }
        });
    }

    private static Method fdValueMethod() {
        try {
            Method m = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
            if (!SocketChannel.class.getModule().isExported("sun.nio.ch", SpliceSocket.class.getModule())) {
                return null;
            }
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
