package io.jvirt.rpc.wire;

import io.jvirt.rpc.xdr.XdrCodec;
import io.jvirt.rpc.xdr.XdrReader;
import io.jvirt.rpc.xdr.XdrWriter;
import java.nio.ByteBuffer;

/**
 * One decoded message: header, the fd count ({@code 0} unless the type {@linkplain MessageType#carriesFds()
 * carries fds}; the fds themselves travel beside the bytes) and the payload, read-only, after the count.
 * A value: safe to hand between threads.
 */
public record Message(Header header, int fdCount, ByteBuffer payload) {

    public Message {
        if (fdCount < 0 || fdCount > MessageLimits.NUM_FDS_MAX) {
            throw new IllegalArgumentException("fd count " + fdCount);
        }
        if (fdCount > 0 && !header.type().carriesFds()) {
            throw new IllegalArgumentException("a " + header.type() + " message carries no fds");
        }
        payload = payload.asReadOnlyBuffer();
    }

    /** A message without fds. */
    public Message(Header header, ByteBuffer payload) {
        this(header, 0, payload);
    }

    /** A message whose payload is {@code body} encoded with {@code codec}. */
    public static <T> Message of(Header header, XdrCodec<T> codec, T body) {
        XdrWriter out = new XdrWriter();
        codec.encode(out, body);
        return new Message(header, ByteBuffer.wrap(out.toByteArray()));
    }

    /** A reader over the payload, from its start. */
    public XdrReader reader() {
        return new XdrReader(payload);
    }

    /** The payload decoded with {@code codec}; throws {@link io.jvirt.rpc.xdr.XdrException} if it does not fit. */
    public <T> T decode(XdrCodec<T> codec) {
        return codec.decode(reader());
    }

    /** Payload size in bytes. */
    public int payloadSize() {
        return payload.remaining();
    }
}
