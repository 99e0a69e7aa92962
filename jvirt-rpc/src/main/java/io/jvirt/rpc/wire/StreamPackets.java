package io.jvirt.rpc.wire;

import io.jvirt.rpc.xdr.XdrCodec;
import io.jvirt.rpc.xdr.XdrException;
import java.nio.ByteBuffer;

/**
 * Stream packets. A stream is named by the program, procedure and serial of the CALL that opened it, so every
 * packet here is built from that call's header. Data is raw bytes (not XDR). No packet is acknowledged except
 * finish and abort, which the other side answers with STREAM/OK or STREAM/ERROR.
 */
public final class StreamPackets {
    private StreamPackets() {}

    /** What one incoming stream packet means. */
    public enum Kind {
        /** STREAM/CONTINUE with bytes. */
        DATA,
        /** STREAM/CONTINUE with no bytes: the sender has no more data. */
        END_OF_DATA,
        /** STREAM/OK: finish (or, from the side that was asked, the confirmation of finish or abort). */
        FINISH,
        /** STREAM/ERROR with no payload: the client aborts. */
        ABORT,
        /** STREAM/ERROR with a {@link RemoteError} payload. */
        ERROR,
        /** STREAM_HOLE: a gap in a sparse stream. */
        HOLE
    }

    /** {@code virNetStreamHole}: the hole's length and flags. */
    public record Hole(long length, int flags) {
        public static final XdrCodec<Hole> CODEC = XdrCodec.of(
                (out, h) -> {
                    out.writeHyper(h.length);
                    out.writeInt(h.flags);
                },
                in -> new Hole(in.readHyper(), in.readInt()));
    }

    /** A data packet; senders should keep chunks to {@link MessageLimits#STREAM_CHUNK_MAX}. */
    public static Message data(Header call, ByteBuffer bytes) {
        if (bytes.remaining() > MessageLimits.PAYLOAD_MAX) {
            throw new XdrException(
                    "stream chunk of " + bytes.remaining() + " bytes exceeds " + MessageLimits.PAYLOAD_MAX);
        }
        return new Message(call.stream(MessageStatus.CONTINUE), bytes);
    }

    /** The empty data packet that ends the data from this side. */
    public static Message endOfData(Header call) {
        return new Message(call.stream(MessageStatus.CONTINUE), ByteBuffer.allocate(0));
    }

    /** Finish (client), or the confirmation of a finish or abort (server). */
    public static Message finish(Header call) {
        return new Message(call.stream(MessageStatus.OK), ByteBuffer.allocate(0));
    }

    /** The client gives up on the stream. */
    public static Message abort(Header call) {
        return new Message(call.stream(MessageStatus.ERROR), ByteBuffer.allocate(0));
    }

    /** The stream failed on this side; the peer reports it on its next stream operation. */
    public static Message error(Header call, RemoteError error) {
        return Message.of(call.stream(MessageStatus.ERROR), RemoteError.CODEC, error);
    }

    /** A hole; libvirt sends it with status CONTINUE, and only on streams opened as sparse. */
    public static Message hole(Header call, Hole hole) {
        return Message.of(call.with(MessageType.STREAM_HOLE, MessageStatus.CONTINUE), Hole.CODEC, hole);
    }

    /**
     * What a STREAM or STREAM_HOLE packet means.
     *
     * @throws IllegalArgumentException for other message types
     */
    public static Kind kind(Message m) {
        Header h = m.header();
        if (h.type() == MessageType.STREAM_HOLE) {
            return Kind.HOLE;
        }
        if (h.type() != MessageType.STREAM) {
            throw new IllegalArgumentException("not a stream packet: " + h.type());
        }
        return switch (h.status()) {
            case CONTINUE -> m.payloadSize() == 0 ? Kind.END_OF_DATA : Kind.DATA;
            case OK -> Kind.FINISH;
            case ERROR -> m.payloadSize() == 0 ? Kind.ABORT : Kind.ERROR;
        };
    }
}
