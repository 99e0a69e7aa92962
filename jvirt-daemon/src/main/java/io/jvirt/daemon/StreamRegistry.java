package io.jvirt.daemon;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.nativeio.SpliceSocket;
import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageStatus;
import io.jvirt.rpc.wire.MessageType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The incoming streams of one client by the serial of the call that opened them, and the routing of stream packets
 * to them. A stream is named by its call's header (program, procedure, serial); a packet that names no open stream
 * is dropped, as libvirtd drops it.
 *
 * <p>Threading: {@link #lend} and {@link #onPacket} on the session's reader thread; {@link #open} and
 * {@link #replied} on the call thread of the opening call; {@link #closeAll} on the session's closing thread.
 */
final class StreamRegistry {
    private final Map<Integer, IncomingStream> streams = new ConcurrentHashMap<>();
    private final Consumer<Message> send;
    private final Supplier<SpliceSocket> socket;

    /**
     * @param send   writes a packet to the client
     * @param socket the client's socket for splicing, or null where it cannot be had
     */
    StreamRegistry(Consumer<Message> send, Supplier<SpliceSocket> socket) {
        this.send = send;
        this.socket = socket;
    }

    /** Where the payload of a data packet of an open stream goes (see {@link IncomingStream#lend}); else null. */
    ByteBuffer lend(Header h, int payloadBytes) throws InterruptedException, IOException {
        if (h.type() != MessageType.STREAM || h.status() != MessageStatus.CONTINUE) {
            return null;
        }
        IncomingStream s = streamOf(h);
        return s == null ? null : s.lend(payloadBytes);
    }

    /**
     * A stream packet, with the buffer {@link #lend} gave for it (or null); false when no open stream took it.
     * May block while the stream's queue is full.
     */
    boolean onPacket(Message m, ByteBuffer lent) throws InterruptedException {
        IncomingStream s = streamOf(m.header());
        if (s == null) {
            return false;
        }
        s.onPacket(m, lent);
        return true;
    }

    private IncomingStream streamOf(Header h) {
        IncomingStream s = streams.get(h.serial());
        return s != null && s.call().procedure() == h.procedure() && s.call().program() == h.program() ? s : null;
    }

    /**
     * Opens the data stream of {@code call}. Packets reach it only after {@link #replied} with an OK reply; an
     * error reply drops it.
     */
    IncomingStream open(Header call) {
        IncomingStream[] made = new IncomingStream[1];
        made[0] = new IncomingStream(call, send, () -> streams.remove(call.serial(), made[0]), socket);
        if (streams.putIfAbsent(call.serial(), made[0]) != null) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR,
                    ErrorDomain.RPC,
                    "a stream with serial " + call.serial() + " is already open");
        }
        return made[0];
    }

    /** The reply to {@code call} went out: a stream it opened starts (OK) or is dropped (error). */
    void replied(Header call, boolean ok) {
        IncomingStream stream = streams.get(call.serial());
        if (stream == null || !stream.call().equals(call)) {
            return;
        }
        if (ok) {
            stream.opened();
        } else {
            streams.remove(call.serial(), stream);
            stream.sessionClosed();
        }
    }

    /** The session ended: every stream is aborted. */
    void closeAll() {
        streams.values().forEach(IncomingStream::sessionClosed);
        streams.clear();
    }
}
