package io.jvirt.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code virDomainMigrateFlags}: a 64-bit set whose values are libvirt's wire values.
 * {@link #names(long)} spells a set the way logs and errors show it.
 */
public final class MigrateFlags {
    public static final long LIVE = 1L;
    public static final long PEER2PEER = 1L << 1;
    public static final long TUNNELLED = 1L << 2;
    public static final long PERSIST_DEST = 1L << 3;
    public static final long UNDEFINE_SOURCE = 1L << 4;
    public static final long PAUSED = 1L << 5;
    public static final long NON_SHARED_DISK = 1L << 6;
    public static final long NON_SHARED_INC = 1L << 7;
    public static final long CHANGE_PROTECTION = 1L << 8;
    public static final long UNSAFE = 1L << 9;
    public static final long OFFLINE = 1L << 10;
    public static final long COMPRESSED = 1L << 11;
    public static final long ABORT_ON_ERROR = 1L << 12;
    public static final long AUTO_CONVERGE = 1L << 13;
    public static final long RDMA_PIN_ALL = 1L << 14;
    public static final long POSTCOPY = 1L << 15;
    public static final long TLS = 1L << 16;
    public static final long PARALLEL = 1L << 17;
    public static final long NON_SHARED_SYNCHRONOUS_WRITES = 1L << 18;
    public static final long POSTCOPY_RESUME = 1L << 19;
    public static final long ZEROCOPY = 1L << 20;

    /** Every flag libvirt's QEMU driver knows; any other bit is refused as "unsupported flags". */
    public static final long ALL = (1L << 21) - 1;

    /** Flags only the source acts on; the client leaves them out of the destination's calls. */
    public static final long SOURCE_ONLY = ABORT_ON_ERROR | AUTO_CONVERGE;

    private static final Map<Long, String> NAMES = new LinkedHashMap<>();

    static {
        String[] names = {
            "live",
            "peer2peer",
            "tunnelled",
            "persist_dest",
            "undefine_source",
            "paused",
            "non_shared_disk",
            "non_shared_inc",
            "change_protection",
            "unsafe",
            "offline",
            "compressed",
            "abort_on_error",
            "auto_converge",
            "rdma_pin_all",
            "postcopy",
            "tls",
            "parallel",
            "non_shared_synchronous_writes",
            "postcopy_resume",
            "zerocopy"
        };
        for (int bit = 0; bit < names.length; bit++) {
            NAMES.put(1L << bit, names[bit]);
        }
    }

    private MigrateFlags() {}

    /** True when every bit of {@code flag} is in {@code flags}. */
    public static boolean has(long flags, long flag) {
        return (flags & flag) == flag;
    }

    /** "live|persist_dest", or "0x400000" bits for unknown bits. */
    public static String names(long flags) {
        StringJoiner j = new StringJoiner("|");
        for (Map.Entry<Long, String> e : NAMES.entrySet()) {
            if ((flags & e.getKey()) != 0) {
                j.add(e.getValue());
            }
        }
        long unknown = flags & ~ALL;
        if (unknown != 0) {
            j.add("0x" + Long.toHexString(unknown));
        }
        return j.length() == 0 ? "0" : j.toString();
    }
}
