package io.jvirt.api;

import java.util.HashMap;
import java.util.Map;

/** libvirt's {@code virErrorDomain}: which part of the system reported an error. Wire values, never reordered. */
public enum ErrorDomain {
    NONE(0),
    XML(5),
    DOM(6),
    RPC(7),
    CONF(9),
    STORAGE(18),
    QEMU(10),
    REMOTE(13),
    DOMAIN(20),
    SECURITY(24),
    STREAMS(38),
    EVENT(40),
    LOCKING(42),
    CAPABILITIES(44),
    URI(45),
    AUTH(46),
    DEVICE(49),
    ACCESS(55);

    private static final Map<Integer, ErrorDomain> BY_WIRE = new HashMap<>();

    static {
        for (ErrorDomain d : values()) {
            BY_WIRE.put(d.wire, d);
        }
    }

    private final int wire;

    ErrorDomain(int wire) {
        this.wire = wire;
    }

    public int wire() {
        return wire;
    }

    /** The domain for a wire number; unknown numbers map to {@link #NONE}. */
    public static ErrorDomain fromWire(int wire) {
        return BY_WIRE.getOrDefault(wire, NONE);
    }
}
