package io.jvirt.rpc.wire;

import java.util.Optional;

/** {@code virNetMessageStatus}: wire numbers, never reordered. */
public enum MessageStatus {
    /** Calls, successful replies, events, keepalive, a stream's finish. */
    OK(0),
    /** An error reply, or a stream's abort (empty) or error (with {@code remote_error}). */
    ERROR(1),
    /** Stream data; more follows. */
    CONTINUE(2);

    private final int wire;

    MessageStatus(int wire) {
        this.wire = wire;
    }

    public int wire() {
        return wire;
    }

    public static Optional<MessageStatus> fromWire(int wire) {
        for (MessageStatus s : values()) {
            if (s.wire == wire) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
