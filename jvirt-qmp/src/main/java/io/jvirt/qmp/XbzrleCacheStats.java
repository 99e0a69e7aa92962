package io.jvirt.qmp;

/**
 * The {@code xbzrle-cache} section of {@code query-migrate}, present only while the {@code xbzrle} capability is on.
 * Fields QEMU leaves out are 0. Names follow libvirt's compression_* job statistics.
 *
 * @param cacheSizeBytes  configured cache size ({@code cache-size})
 * @param bytes           bytes sent xbzrle-encoded ({@code bytes})
 * @param pages           pages sent xbzrle-encoded ({@code pages})
 * @param cacheMisses     pages not found in the cache ({@code cache-miss})
 * @param overflows       pages whose encoding overflowed and were sent in full ({@code overflow})
 * @param cacheMissRate   {@code cache-miss-rate} (0..1)
 * @param encodingRate    {@code encoding-rate}
 */
public record XbzrleCacheStats(
        long cacheSizeBytes,
        long bytes,
        long pages,
        long cacheMisses,
        long overflows,
        double cacheMissRate,
        double encodingRate) {}
