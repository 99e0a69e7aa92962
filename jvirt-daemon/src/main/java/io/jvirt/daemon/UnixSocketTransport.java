package io.jvirt.daemon;

import io.jvirt.nativeio.UnixSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A client accepted on a socket systemd handed over ({@link SocketActivation}): jvirt-native's {@link UnixSocket},
 * which the JDK cannot wrap as a SocketChannel, seen as the two channels a {@link Transport} reads and writes. No
 * splice socket: a tunnelled migration's payloads are copied on such a connection.
 *
 * <p>Threading: as {@link Transport}: one reader thread, writes under the session's lock; {@link UnixSocket#close}
 * from any thread wakes a blocked read.
 */
final class UnixSocketTransport {
    private UnixSocketTransport() {}

    static Transport of(UnixSocket socket) {
        return Transport.of(new In(socket), new Out(socket), socket::close, true);
    }

    /** Open as long as the socket is; closing either channel closes the socket. */
    private interface OnSocket extends Channel {
        UnixSocket socket();

        @Override
        default boolean isOpen() {
            return !socket().isClosed();
        }

        @Override
        default void close() {
            socket().close();
        }
    }

    private record In(UnixSocket socket) implements ReadableByteChannel, OnSocket {
        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (socket.isClosed()) {
                throw new ClosedChannelException();
            }
            byte[] b = new byte[Math.min(dst.remaining(), 64 * 1024)];
            int n = socket.read(b, 0, b.length);
            if (n > 0) {
                dst.put(b, 0, n);
            }
            return n;
        }
    }

    private record Out(UnixSocket socket) implements WritableByteChannel, OnSocket {
        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = src.remaining();
            byte[] b = new byte[n];
            src.get(b);
            socket.write(b, 0, n);
            return n;
        }
    }
}
