package io.jvirt.driver.process;

import io.jvirt.config.DiskCache;

/**
 * What a libvirt cache mode means to QEMU: the guest-visible write cache ({@code write-cache} of the device) and
 * the block layer's {@code cache.direct} (O_DIRECT) and {@code cache.no-flush}. Null for {@code default} or no mode,
 * where libvirt leaves all three to QEMU.
 */
record DiskCacheMode(boolean writeback, boolean direct, boolean noFlush) {
    static DiskCacheMode of(DiskCache cache) {
        if (cache == null) {
            return null;
        }
        return switch (cache) {
            case DEFAULT -> null;
            case NONE -> new DiskCacheMode(true, true, false);
            case WRITETHROUGH -> new DiskCacheMode(false, false, false);
            case WRITEBACK -> new DiskCacheMode(true, false, false);
            case DIRECTSYNC -> new DiskCacheMode(false, true, false);
            case UNSAFE -> new DiskCacheMode(true, false, true);
        };
    }
}
