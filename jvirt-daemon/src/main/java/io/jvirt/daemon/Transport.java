package io.jvirt.daemon;

import io.jvirt.nativeio.SpliceSocket;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;

/**
 * The connection under one client session: the channel its frames are read from, the one they are written to,
 * whether it counts as secure, and the socket stream payloads may be spliced out of. This is the seam a TLS
 * transport wraps: it hands the session plaintext channels over the socket's, says it is secure, and has no splice
 * socket (the bytes on the socket are not the frames).
 *
 * <p>Threading: {@link #in} is read by the session's reader thread only; {@link #out} is written under the
 * session's {@link FrameSender} lock only; {@link #spliceSocket} is asked on the reader thread; {@link #close} may
 * come from any thread and must end a read blocked in {@link #in}.
 */
interface Transport {
    ReadableByteChannel in();

    WritableByteChannel out();

    /** What CONNECT_IS_SECURE answers: a unix socket is secure, plain TCP is not. */
    boolean isSecure();

    /**
     * The socket to splice stream payloads out of, made on first use and closed by {@link #close}; null when there
     * is none (not a JDK socket, the JVM hides its descriptor, or the transport is closed).
     */
    SpliceSocket spliceSocket();

    /** Closes the connection (a read blocked on {@link #in} ends). Called once, by the session's close. */
    void close() throws IOException;

    /** An accepted socket, read and written as it is. */
    static Transport of(SocketChannel socket, boolean secure) {
        return new ChannelTransport(socket, socket, socket, secure);
    }

    /** Any pair of channels (tests use pipes); {@code closer} closes both. */
    static Transport of(ReadableByteChannel in, WritableByteChannel out, Closeable closer, boolean secure) {
        return new ChannelTransport(in, out, closer, secure);
    }
}
