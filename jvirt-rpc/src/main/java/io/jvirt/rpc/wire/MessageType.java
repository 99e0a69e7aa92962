package io.jvirt.rpc.wire;

import java.util.Optional;

/** {@code virNetMessageType}: wire numbers, never reordered. */
public enum MessageType {
    /** Client to server: procedure arguments. */
    CALL(0),
    /** Server to client: the ret struct (status OK) or {@code remote_error} (status ERROR). */
    REPLY(1),
    /** Either way: an event, or keepalive. */
    MESSAGE(2),
    /** Either way: raw stream data or stream control. */
    STREAM(3),
    /** As CALL, with an fd count before the arguments and the fds passed beside the bytes. */
    CALL_WITH_FDS(4),
    /** As REPLY, with an fd count before the ret struct. */
    REPLY_WITH_FDS(5),
    /** A hole in a sparse stream: {@code hyper length; unsigned int flags}. */
    STREAM_HOLE(6);

    private final int wire;

    MessageType(int wire) {
        this.wire = wire;
    }

    public int wire() {
        return wire;
    }

    /** Whether an fd count follows the header. */
    public boolean carriesFds() {
        return this == CALL_WITH_FDS || this == REPLY_WITH_FDS;
    }

    public static Optional<MessageType> fromWire(int wire) {
        for (MessageType t : values()) {
            if (t.wire == wire) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
