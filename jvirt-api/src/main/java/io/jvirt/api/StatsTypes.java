package io.jvirt.api;

/**
 * {@code virDomainStatsTypes} (the groups {@link Connection#domainStats} reports) and
 * {@code virConnectGetAllDomainStatsFlags}: wire values.
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

    /**
     * The domain filters: {@link ListFlags}' first eight ({@link ListFlags#ACTIVE} … {@link ListFlags#OTHER}),
     * the same bits.
     */
    public static final int DOMAIN_FILTERS = 0xFF;

    /** Reports what can be had without waiting for a busy domain. */
    public static final int NOWAIT = 1 << 29;
    /** Reports backing chain images too. */
    public static final int BACKING = 1 << 30;
    /** Fails when a requested group is not supported, rather than leaving it out. */
    public static final int ENFORCE_STATS = 1 << 31;

    private StatsTypes() {}
}
