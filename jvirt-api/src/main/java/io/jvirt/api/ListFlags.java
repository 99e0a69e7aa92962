package io.jvirt.api;

/** {@code virConnectListAllDomainsFlags}: wire values, combined with |. */
public final class ListFlags {
    public static final int ACTIVE = 1;
    public static final int INACTIVE = 1 << 1;
    public static final int PERSISTENT = 1 << 2;
    public static final int TRANSIENT = 1 << 3;
    public static final int RUNNING = 1 << 4;
    public static final int PAUSED = 1 << 5;
    public static final int SHUTOFF = 1 << 6;
    public static final int OTHER = 1 << 7;
    public static final int MANAGEDSAVE = 1 << 8;
    public static final int NO_MANAGEDSAVE = 1 << 9;
    public static final int AUTOSTART = 1 << 10;
    public static final int NO_AUTOSTART = 1 << 11;

    private ListFlags() {}
}
