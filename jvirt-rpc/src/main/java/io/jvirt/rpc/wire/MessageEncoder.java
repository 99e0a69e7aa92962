package io.jvirt.rpc.wire;

import io.jvirt.rpc.xdr.XdrCodec;
import io.jvirt.rpc.xdr.XdrException;
import io.jvirt.rpc.xdr.XdrWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Turns messages into frames (length word, header, fd count for *_WITH_FDS, payload) in one reused buffer
 * that starts at {@link MessageLimits#INITIAL} and grows to {@link MessageLimits#MAX}; a bigger message fails
 * with {@link XdrException} before anything is sent. Not thread-safe: one encoder per connection writer.
 * Returned buffers are views of that buffer, valid until the next call.
 *
 * <p>Bulk data (stream packets) need not pass through that buffer: {@link #encodeHead} gives only the frame's
 * first bytes, and the writer sends them and the payload in one gathering write, so the payload is never copied
 * on the JVM's side (nor at all when it sits in a direct buffer).
 */
public final class MessageEncoder {
    private final XdrWriter out = new XdrWriter(
            MessageLimits.INITIAL + MessageLimits.LENGTH_WORD, MessageLimits.MAX + MessageLimits.LENGTH_WORD);

    /** A frame whose payload is {@code body} encoded with {@code codec}. */
    public <T> ByteBuffer encode(Header header, XdrCodec<T> codec, T body) {
        return encodeWithFds(header, 0, codec, body);
    }

    /** As {@link #encode}, writing {@code fdCount} after the header when the type carries fds. */
    public <T> ByteBuffer encodeWithFds(Header header, int fdCount, XdrCodec<T> codec, T body) {
        begin(header, fdCount);
        codec.encode(out, body);
        return finish();
    }

    /** A frame for an already-encoded message (its payload is copied as is: stream data is raw bytes). */
    public ByteBuffer encode(Message message) {
        begin(message.header(), message.fdCount());
        out.writeRaw(message.payload());
        return finish();
    }

    /**
     * The frame of {@code message} up to its payload (length word counting the payload, header, fd count when the
     * type has one), to be written followed by {@code message.payload()} itself. The view is valid until the next
     * call.
     */
    public ByteBuffer encodeHead(Message message) {
        return encodeHead(message.header(), message.fdCount(), message.payloadSize());
    }

    /**
     * The first bytes of a frame whose {@code payloadBytes} the caller writes itself, straight after them (stream
     * data moved from a pipe by splice(2), which never enters the JVM).
     */
    public ByteBuffer encodeHead(Header header, int payloadBytes) {
        return encodeHead(header, 0, payloadBytes);
    }

    private ByteBuffer encodeHead(Header header, int fdCount, int payload) {
        begin(header, fdCount);
        long total = (long) out.position() + payload;
        if (total > MessageLimits.MAX + MessageLimits.LENGTH_WORD) {
            throw new XdrException("encoded data of " + total + " bytes exceeds the maximum "
                    + (MessageLimits.MAX + MessageLimits.LENGTH_WORD));
        }
        out.setInt(0, (int) total);
        return out.view();
    }

    /** Encodes and writes one frame; the caller flushes. */
    public void write(OutputStream stream, Message message) throws IOException {
        encode(message);
        out.writeTo(stream);
    }

    /** Encodes and writes one frame whose payload is {@code body}; the caller flushes. */
    public <T> void write(OutputStream stream, Header header, XdrCodec<T> codec, T body) throws IOException {
        encode(header, codec, body);
        out.writeTo(stream);
    }

    private void begin(Header header, int fdCount) {
        if (fdCount < 0 || fdCount > MessageLimits.NUM_FDS_MAX) {
            throw new XdrException(
                    "Too many FDs to send " + fdCount + ", expected " + MessageLimits.NUM_FDS_MAX + " maximum");
        }
        if (fdCount > 0 && !header.type().carriesFds()) {
            throw new XdrException("a " + header.type() + " message carries no fds");
        }
        out.reset();
        out.writeInt(0);
        header.encode(out);
        if (header.type().carriesFds()) {
            out.writeInt(fdCount);
        }
    }

    private ByteBuffer finish() {
        out.setInt(0, out.position());
        return out.view();
    }
}
