package io.jvirt.api;

/**
 * {@code virDomainStatsTypes} (the groups {@link Connection#domainStats} reports) and the
 * {@code virConnectGetAllDomainStatsFlags} that filter domains: wire values.
 */
public final class StatsTypes {
    public static final int STATE = 1;
    public static final int CPU_TOTAL = 1 << 1;
    public static final int BALLOON = 1 << 2;
    public static final int VCPU = 1 << 3;
    public static final int INTERFACE = 1 << 4;
    public static final int BLOCK = 1 << 5;
    public static final int PERF = 1 << 6;
    public static final int IOTHREAD = 1 << 7;
    public static final int MEMORY = 1 << 8;
    public static final int DIRTYRATE = 1 << 9;
    public static final int VM = 1 << 10;

    /** Domain filters, as {@link ListFlags}' first eight. */
    public static final int ACTIVE = 1;

    public static final int INACTIVE = 1 << 1;
    public static final int PERSISTENT = 1 << 2;
    public static final int TRANSIENT = 1 << 3;
    public static final int RUNNING = 1 << 4;
    public static final int PAUSED = 1 << 5;
    public static final int SHUTOFF = 1 << 6;
    public static final int OTHER = 1 << 7;
    /** Reports what can be had without waiting for a busy domain. */
    public static final int NOWAIT = 1 << 29;
    /** Reports backing chain images too. */
    public static final int BACKING = 1 << 30;
    /** Fails when a requested group is not supported, rather than leaving it out. */
    public static final int ENFORCE_STATS = 1 << 31;

    private StatsTypes() {}
}
