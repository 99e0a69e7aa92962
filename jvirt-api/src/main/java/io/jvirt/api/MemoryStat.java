package io.jvirt.api;

/**
 * One memory statistic of a domain ({@code virDomainMemoryStatStruct}).
 *
 * @param tag   {@code virDomainMemoryStatTags}: wire values below
 * @param value KiB, or a count for the fault counters, or seconds for {@link #LAST_UPDATE}
 */
public record MemoryStat(int tag, long value) {
    public static final int SWAP_IN = 0;
    public static final int SWAP_OUT = 1;
    public static final int MAJOR_FAULT = 2;
    public static final int MINOR_FAULT = 3;
    public static final int UNUSED = 4;
    public static final int AVAILABLE = 5;
    public static final int ACTUAL_BALLOON = 6;
    public static final int RSS = 7;
    public static final int USABLE = 8;
    public static final int LAST_UPDATE = 9;
    public static final int DISK_CACHES = 10;
    public static final int HUGETLB_PGALLOC = 11;
    public static final int HUGETLB_PGFAIL = 12;
}
