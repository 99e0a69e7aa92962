package io.jvirt.rpc.tls;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;

/**
 * A TLS session over a connected socket, opened as libvirt opens one, read and written as plaintext channels:
 * <ul>
 *   <li>{@link #accept} (server): handshake, {@link TlsContext#checkPeer}, then the one confirmation byte 0x01; a
 *       refused client is closed without a word, as libvirtd closes it;</li>
 *   <li>{@link #connect} (client): handshake, the check of the server's certificate against the host, then the
 *       server's confirmation byte, failing with libvirt's client errors.</li>
 * </ul>
 * {@link #close} closes the socket under the session without a TLS close_notify (libvirt sends none), which also
 * ends a read or write blocked on another thread.
 *
 * <p>Threading: one thread reads and one (at a time) writes, concurrently; {@link #close} from any thread.
 */
public final class TlsChannel implements ByteChannel, GatheringByteChannel {
    /** libvirt's confirmation byte: the server checked the client and lets it in. */
    static final int CONFIRMATION = 1;

    private static final int BUFFER_BYTES = 16 << 10;
    /** How long a client waits for the server's handshake and confirmation byte. */
    public static final Duration CLIENT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    private final SocketChannel raw;
    private final InputStream in;
    private final OutputStream out;
    private final Optional<String> peerDn;
    /** Reused by {@link #read} for buffers without an array; reader thread only. */
    private final byte[] readScratch = new byte[BUFFER_BYTES];

    private TlsChannel(SocketChannel raw, SSLSocket socket, Optional<String> peerDn) throws IOException {
        this.raw = raw;
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), BUFFER_BYTES);
        this.peerDn = peerDn;
    }

    /**
     * The server's side of a new connection: returns once the client is let in (the byte sent); throws and closes
     * {@code raw} if the handshake fails, takes longer than {@code handshakeTimeout}, or the client is refused.
     */
    public static TlsChannel accept(TlsContext ctx, SocketChannel raw, Duration handshakeTimeout) throws IOException {
        // One deadline for the whole handshake: a read timeout alone lets a client that sends a byte now and then
        // hold its thread and its max_clients slot for ever.
        AtomicBoolean done = closeUnlessDoneIn(raw, handshakeTimeout);
        try {
            SSLSocket s = ctx.wrap(raw.socket(), null);
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, handshakeTimeout.toMillis()));
            s.startHandshake();
            s.setSoTimeout(0);
            Optional<String> dn = ctx.checkPeer(s.getSession(), null);
            TlsChannel ch = new TlsChannel(raw, s, dn);
            ch.out.write(CONFIRMATION);
            ch.out.flush();
            if (!done.compareAndSet(false, true)) {
                throw new SocketTimeoutException("TLS handshake took longer than " + handshakeTimeout);
            }
            return ch;
        } catch (IOException | RuntimeException e) {
            done.set(true);
            raw.close();
            throw e;
        }
    }

    /**
     * The client's side: handshake, the server's certificate checked against {@code host}, then the server's
     * confirmation, all within {@link #CLIENT_HANDSHAKE_TIMEOUT}; closes {@code raw} and throws libvirt's error on
     * any failure.
     */
    public static TlsChannel connect(TlsContext ctx, SocketChannel raw, String host) {
        return connect(ctx, raw, host, CLIENT_HANDSHAKE_TIMEOUT);
    }

    /** As {@link #connect(TlsContext, SocketChannel, String)} with another deadline. */
    static TlsChannel connect(TlsContext ctx, SocketChannel raw, String host, Duration handshakeTimeout) {
        // A server that accepts and then says nothing (a stopped daemon, a port that is not libvirt's) would
        // otherwise hold the caller, a source daemon's migration among them, for ever.
        AtomicBoolean done = closeUnlessDoneIn(raw, handshakeTimeout);
        try {
            SSLSocket s;
            try {
                s = ctx.wrap(raw.socket(), host);
                s.startHandshake();
            } catch (IOException e) {
                throw VirtException.of(
                        ErrorCode.AUTH_FAILED, ErrorDomain.RPC, "TLS handshake failed " + e.getMessage(), e);
            }
            ctx.checkPeer(s.getSession(), host);
            int confirmation;
            try {
                confirmation = s.getInputStream().read();
            } catch (IOException e) {
                throw noConfirmation(e);
            }
            if (confirmation < 0) {
                // A refusing libvirt server closes without close_notify, which GnuTLS reports as an I/O error.
                throw noConfirmation(null);
            }
            if (confirmation != CONFIRMATION) {
                throw VirtException.of(
                        ErrorCode.RPC,
                        ErrorDomain.RPC,
                        "server verification (of our certificate or IP address) failed");
            }
            if (!done.compareAndSet(false, true)) {
                throw new SocketTimeoutException(); // the deadline closed the socket just now
            }
            return new TlsChannel(raw, s, Optional.empty());
        } catch (IOException | RuntimeException e) {
            // Whatever failed, a socket the deadline closed is the reason.
            boolean timedOut = !done.compareAndSet(false, true);
            closeQuietly(raw, e);
            if (timedOut) {
                throw VirtException.of(
                        ErrorCode.AUTH_FAILED,
                        ErrorDomain.RPC,
                        "TLS handshake failed: no answer within " + handshakeTimeout.toMillis() + " ms",
                        e);
            }
            if (e instanceof VirtException v) {
                throw v;
            }
            throw VirtException.of(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, "TLS session failed: " + e, e);
        }
    }

    /** The client's Distinguished Name on a server that checked it; empty on a client. */
    public Optional<String> peerDn() {
        return peerDn;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
        int want = dst.remaining();
        if (want == 0) {
            return 0;
        }
        int n;
        try {
            if (dst.hasArray()) {
                n = in.read(dst.array(), dst.arrayOffset() + dst.position(), want);
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
            } else {
                n = in.read(readScratch, 0, Math.min(want, readScratch.length));
                if (n > 0) {
                    dst.put(readScratch, 0, n);
                }
            }
        } catch (IOException e) {
            if (!isOpen()) {
                return -1; // closed under the reader: the session is over, as at end of stream
            }
            throw e;
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    /** Writes every byte of {@code srcs} (TLS records go out whole), then flushes. */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        byte[] scratch = null;
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer b = srcs[i];
            int n = b.remaining();
            if (b.hasArray()) {
                out.write(b.array(), b.arrayOffset() + b.position(), n);
                b.position(b.limit());
            } else {
                if (scratch == null) {
                    scratch = new byte[BUFFER_BYTES];
                }
                while (b.hasRemaining()) {
                    int chunk = Math.min(b.remaining(), scratch.length);
                    b.get(scratch, 0, chunk);
                    out.write(scratch, 0, chunk);
                }
            }
            total += n;
        }
        out.flush();
        return total;
    }

    @Override
    public boolean isOpen() {
        return raw.isOpen();
    }

    /** Closes the socket under the session (no close_notify, as libvirt); idempotent. */
    @Override
    public void close() throws IOException {
        raw.close();
    }

    /**
     * Closes {@code raw} after {@code timeout} unless the returned flag is set first (which the caller does, by
     * compareAndSet, when it finished); a handshake blocked on the socket then fails at once.
     */
    private static AtomicBoolean closeUnlessDoneIn(SocketChannel raw, Duration timeout) {
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> {
                    if (done.compareAndSet(false, true)) {
                        try {
                            raw.close();
                        } catch (IOException ignored) {
                            // closed already
                        }
                    }
                });
        return done;
    }

    private static VirtException noConfirmation(IOException cause) {
        return VirtException.of(
                ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, "Unable to read TLS confirmation: Input/output error", cause);
    }

    private static void closeQuietly(SocketChannel raw, Exception failure) {
        try {
            raw.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
