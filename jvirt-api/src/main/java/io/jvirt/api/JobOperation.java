package io.jvirt.api;

/** libvirt's {@code virDomainJobOperation}: what a job is doing; wire values. */
public enum JobOperation {
    UNKNOWN(0),
    START(1),
    SAVE(2),
    RESTORE(3),
    MIGRATION_IN(4),
    MIGRATION_OUT(5),
    SNAPSHOT(6),
    SNAPSHOT_REVERT(7),
    DUMP(8),
    BACKUP(9),
    SNAPSHOT_DELETE(10);

    private final int wire;

    JobOperation(int wire) {
        this.wire = wire;
    }

    public int wire() {
        return wire;
    }

    public static JobOperation fromWire(int wire) {
        for (JobOperation o : values()) {
            if (o.wire == wire) {
                return o;
            }
        }
        return UNKNOWN;
    }
}
