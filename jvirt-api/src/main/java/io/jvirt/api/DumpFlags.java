package io.jvirt.api;

/** {@code virDomainCoreDumpFlags} and {@code virDomainCoreDumpFormat}: wire values. */
public final class DumpFlags {
    public static final int CRASH = 1;
    public static final int LIVE = 1 << 1;
    public static final int BYPASS_CACHE = 1 << 2;
    public static final int RESET = 1 << 3;
    public static final int MEMORY_ONLY = 1 << 4;

    public static final int FORMAT_RAW = 0;
    public static final int FORMAT_KDUMP_ZLIB = 1;
    public static final int FORMAT_KDUMP_LZO = 2;
    public static final int FORMAT_KDUMP_SNAPPY = 3;
    public static final int FORMAT_WIN_DMP = 4;

    private DumpFlags() {}
}
