package io.jvirt.rpc.wire;

import io.jvirt.rpc.xdr.XdrException;
import io.jvirt.rpc.xdr.XdrReader;
import io.jvirt.rpc.xdr.XdrWriter;

/**
 * {@code virNetMessageHeader}: six 4-byte words. {@code program} and {@code serial} are XDR unsigned ints kept
 * as the int's bits. A reply, stream packet or error for a call reuses the call's program, version, procedure
 * and serial, which {@link #reply}, {@link #stream} and {@link #with} keep.
 */
public record Header(int program, int version, int procedure, MessageType type, int serial, MessageStatus status) {

    public Header {
        if (type == null || status == null) {
            throw new IllegalArgumentException("type and status are required");
        }
    }

    /** A CALL with status OK, as every call carries. */
    public static Header call(Program program, int procedure, int serial) {
        return new Header(program.number(), program.version(), procedure, MessageType.CALL, serial, MessageStatus.OK);
    }

    /** An event or keepalive MESSAGE with status OK. */
    public static Header message(Program program, int procedure, int serial) {
        return new Header(
                program.number(), program.version(), procedure, MessageType.MESSAGE, serial, MessageStatus.OK);
    }

    /** The REPLY to this call. */
    public Header reply(MessageStatus replyStatus) {
        return with(MessageType.REPLY, replyStatus);
    }

    /** A STREAM packet of the stream this call opened. */
    public Header stream(MessageStatus streamStatus) {
        return with(MessageType.STREAM, streamStatus);
    }

    /** Same program, version, procedure and serial; another type and status. */
    public Header with(MessageType newType, MessageStatus newStatus) {
        return new Header(program, version, procedure, newType, serial, newStatus);
    }

    public void encode(XdrWriter out) {
        out.writeInt(program);
        out.writeInt(version);
        out.writeInt(procedure);
        out.writeInt(type.wire());
        out.writeInt(serial);
        out.writeInt(status.wire());
    }

    /** Reads 24 bytes; an unknown type or status is a protocol error. */
    public static Header decode(XdrReader in) {
        int prog = in.readInt();
        int vers = in.readInt();
        int proc = in.readInt();
        int rawType = in.readInt();
        int serial = in.readInt();
        int rawStatus = in.readInt();
        MessageType type =
                MessageType.fromWire(rawType).orElseThrow(() -> new XdrException("unknown message type " + rawType));
        MessageStatus status = MessageStatus.fromWire(rawStatus)
                .orElseThrow(() -> new XdrException("unknown message status " + rawStatus));
        return new Header(prog, vers, proc, type, serial, status);
    }
}
