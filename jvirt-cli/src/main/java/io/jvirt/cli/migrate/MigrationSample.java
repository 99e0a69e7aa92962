package io.jvirt.cli.migrate;

import io.jvirt.api.TypedParam;
import java.util.List;

/**
 * One reading of a running migration's statistics ({@code virDomainGetJobStats}), with what {@code --verbose}
 * derives from it. Byte counts and rates are unsigned in libvirt; values past 2^63 are not expected here. Pure.
 *
 * @param dirtyPagesPerSecond {@code memory_dirty_rate}
 * @param pageSize            {@code memory_page_size}, 4096 when the driver does not say
 * @param iteration           {@code memory_iteration}: the pass over guest memory, 1 for the first; 0 when unknown
 */
public record MigrationSample(
        long dataTotal,
        long dataProcessed,
        long dataRemaining,
        long bytesPerSecond,
        long dirtyPagesPerSecond,
        long pageSize,
        long iteration) {
    /** The page size QEMU uses on x86 when the statistics leave it out. */
    public static final long DEFAULT_PAGE_SIZE = 4096;

    /** The sample in {@code stats}; absent statistics read as 0. */
    public static MigrationSample of(List<TypedParam> stats) {
        long pageSize = number(stats, "memory_page_size");
        return new MigrationSample(
                number(stats, "data_total"),
                number(stats, "data_processed"),
                number(stats, "data_remaining"),
                number(stats, "memory_bps"),
                number(stats, "memory_dirty_rate"),
                pageSize > 0 ? pageSize : DEFAULT_PAGE_SIZE,
                number(stats, "memory_iteration"));
    }

    /** How fast the guest dirties memory, in bytes per second. */
    public long dirtyBytesPerSecond() {
        return dirtyPagesPerSecond * pageSize;
    }

    /**
     * True when the guest dirties memory about as fast as the link carries it (within 10%), so pre-copy cannot
     * finish on its own. QEMU measures the dirty rate as the pages dirtied during a pass over the pass's length, so
     * a guest that rewrites its whole working set every pass shows a dirty rate just at the link's, never above:
     * the margin is what makes that case count. Only judged once both rates are known.
     */
    public boolean notConverging() {
        return bytesPerSecond > 0 && dirtyPagesPerSecond > 0 && dirtyBytesPerSecond() * 10 >= bytesPerSecond * 9;
    }

    /** Seconds until the remaining data is sent at the current net rate, or -1 when it is not shrinking. */
    public long etaSeconds() {
        long net = bytesPerSecond - dirtyBytesPerSecond();
        if (bytesPerSecond <= 0 || net <= 0) {
            return -1;
        }
        return (dataRemaining + net - 1) / net;
    }

    private static long number(List<TypedParam> stats, String field) {
        return TypedParam.find(stats, field).map(v -> ((Number) v).longValue()).orElse(0L);
    }
}
