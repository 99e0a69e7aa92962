package io.jvirt.api;

/** libvirt's {@code virDomainJobType}: wire values. */
public enum JobType {
    NONE(0),
    BOUNDED(1),
    UNBOUNDED(2),
    COMPLETED(3),
    FAILED(4),
    CANCELLED(5);

    private final int wire;

    JobType(int wire) {
        this.wire = wire;
    }

    public int wire() {
        return wire;
    }

    public static JobType fromWire(int wire) {
        for (JobType t : values()) {
            if (t.wire == wire) {
                return t;
            }
        }
        return NONE;
    }
}
