package io.jvirt.daemon;

import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageType;
import io.jvirt.rpc.wire.Program;
import io.jvirt.rpc.xdr.XdrException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The read loop of one client: reads frames and sorts them, keepalive frames to {@link ClientKeepalive}, stream
 * packets to {@link StreamRegistry}, everything else to {@link CallDispatcher}. It never runs a call itself, so
 * PINGs are answered however long a call takes; it does block, on purpose, while the client's calls or a stream's
 * queue are full, which stops reading the socket (back-pressure).
 *
 * <p>Threading: the session's reader thread, a platform thread {@link Daemon} starts per client
 * ({@code jvirtd-client-N}): while a tunnelled migration arrives it splices payloads from the socket into QEMU's
 * pipe, a call that blocks in the kernel and would pin a virtual thread's carrier. Tests may run it on any thread.
 */
final class SessionReader {
    private static final System.Logger LOG = System.getLogger(SessionReader.class.getName());

    private final long clientId;
    private final ReadableByteChannel in;
    private final BooleanSupplier closed;
    private final ClientKeepalive keepalive;
    private final StreamRegistry streams;
    private final CallDispatcher calls;
    /** The buffer the packet being read was lent, handed to its stream with the packet. */
    private ByteBuffer lent;

    SessionReader(
            long clientId,
            ReadableByteChannel in,
            BooleanSupplier closed,
            ClientKeepalive keepalive,
            StreamRegistry streams,
            CallDispatcher calls) {
        this.clientId = clientId;
        this.in = in;
        this.closed = closed;
        this.keepalive = keepalive;
        this.streams = streams;
        this.calls = calls;
    }

    /** Reads until the client goes away, breaks the protocol or the session closes; the caller then closes it. */
    void run() {
        FrameReader frames = new FrameReader(in);
        try {
            while (!closed.getAsBoolean()) {
                lent = null;
                Optional<Message> m = frames.next(this::lend);
                if (m.isEmpty()) {
                    break;
                }
                keepalive.heardFrom();
                sort(m.get());
            }
        } catch (XdrException e) {
            LOG.log(System.Logger.Level.INFO, "client {0}: protocol error, closing: {1}", clientId, e.getMessage());
        } catch (IOException e) {
            if (!closed.getAsBoolean()) {
                LOG.log(System.Logger.Level.DEBUG, "client {0}: read failed: {1}", clientId, e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A data packet of an open incoming stream is read into a buffer that stream lends (and gets it back). */
    private ByteBuffer lend(Header h, int payloadBytes) throws InterruptedException, IOException {
        ByteBuffer b = streams.lend(h, payloadBytes);
        lent = b;
        return b;
    }

    private void sort(Message m) throws InterruptedException {
        Header h = m.header();
        if (Program.KEEPALIVE.matches(h)) {
            keepalive.onMessage(h);
            return;
        }
        if (h.type() == MessageType.STREAM || h.type() == MessageType.STREAM_HOLE) {
            ByteBuffer payloadBuffer = lent;
            lent = null;
            if (streams.onPacket(m, payloadBuffer)) {
                keepalive.stillReceiving();
            }
            return; // packets of streams that no longer exist are dropped, as libvirtd drops them
        }
        calls.dispatch(m);
    }
}
