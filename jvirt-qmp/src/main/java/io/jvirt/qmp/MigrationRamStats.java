package io.jvirt.qmp;

/**
 * The {@code ram} section of {@code query-migrate}. Every field QEMU leaves out is 0; {@link #NONE} (all zeros) stands
 * for a reply without a RAM section (no migration yet, or the destination side, which reports only the status).
 *
 * @param transferredBytes  bytes sent so far ({@code transferred})
 * @param remainingBytes    bytes still to send ({@code remaining})
 * @param totalBytes        guest RAM size ({@code total})
 * @param duplicatePages    zero pages sent as a marker only ({@code duplicate})
 * @param normalPages       pages sent in full ({@code normal})
 * @param normalBytes       bytes of those pages ({@code normal-bytes})
 * @param dirtyPagesRate    pages dirtied per second ({@code dirty-pages-rate})
 * @param mbps              throughput in Mbit/s, 10^6 bits ({@code mbps}); libvirt's memory_bps = mbps × 125000
 * @param dirtySyncCount    RAM passes so far ({@code dirty-sync-count}); libvirt's memory_iteration
 * @param pageSize          target page size in bytes ({@code page-size})
 * @param postcopyRequests  page requests from the destination in post-copy ({@code postcopy-requests})
 * @param precopyBytes      bytes sent in the pre-copy phase ({@code precopy-bytes})
 * @param downtimeBytes     bytes sent while the guest was stopped ({@code downtime-bytes})
 * @param postcopyBytes     bytes sent in post-copy ({@code postcopy-bytes})
 * @param multifdBytes      bytes sent over multifd channels ({@code multifd-bytes})
 * @param pagesPerSecond    pages sent per second ({@code pages-per-second})
 */
public record MigrationRamStats(
        long transferredBytes,
        long remainingBytes,
        long totalBytes,
        long duplicatePages,
        long normalPages,
        long normalBytes,
        long dirtyPagesRate,
        double mbps,
        long dirtySyncCount,
        long pageSize,
        long postcopyRequests,
        long precopyBytes,
        long downtimeBytes,
        long postcopyBytes,
        long multifdBytes,
        long pagesPerSecond) {

    /** No RAM section in the reply. */
    public static final MigrationRamStats NONE =
            new MigrationRamStats(0, 0, 0, 0, 0, 0, 0, 0.0, 0, 0, 0, 0, 0, 0, 0, 0);
}
