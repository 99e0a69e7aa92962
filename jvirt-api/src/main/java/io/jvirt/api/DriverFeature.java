package io.jvirt.api;

/**
 * libvirt's {@code VIR_DRV_FEATURE_*} numbers, which {@code virConnectSupportsFeature} (and the remote protocol's
 * SUPPORTS_FEATURE call) ask about; the client picks the migration protocol from the answers.
 */
public final class DriverFeature {
    public static final int MIGRATION_V1 = 1;
    public static final int REMOTE = 2;
    public static final int MIGRATION_V2 = 3;
    public static final int MIGRATION_P2P = 4;
    public static final int MIGRATION_DIRECT = 5;
    public static final int MIGRATION_V3 = 6;
    public static final int MIGRATE_CHANGE_PROTECTION = 7;
    public static final int FD_PASSING = 8;
    public static final int TYPED_PARAM_STRING = 9;
    public static final int PROGRAM_KEEPALIVE = 10;
    public static final int XML_MIGRATABLE = 11;
    public static final int MIGRATION_OFFLINE = 12;
    public static final int MIGRATION_PARAMS = 13;
    /**
     * jvirt's own (ASCII "JV" and 1, far above libvirt's numbers, which libvirt answers with 0): the daemon takes
     * a tunnelled migration whose QEMUs use several connections (multifd), each carried by its own stream
     * ({@link MigrationPhases#migrateTunnelChannel}).
     */
    public static final int JVIRT_TUNNEL_CHANNELS = 0x4a560001;
    /**
     * jvirt's own: the daemon takes a tunnelled migration with storage (NON_SHARED_DISK or NON_SHARED_INC), each NBD
     * connection of the disk copy carried by a stream of its own ({@link MigrationPhases#migrateTunnelNbd}), which
     * libvirt refuses.
     */
    public static final int JVIRT_TUNNEL_STORAGE = 0x4a560002;

    private DriverFeature() {}
}
