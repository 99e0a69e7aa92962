package io.jvirt.driver.process;

import io.jvirt.config.BackingStore;
import io.jvirt.config.DiskFormat;
import io.jvirt.config.DiskSource;

/** Reads what backs an image, from the image itself. Implementations say what thread they may run on. */
@FunctionalInterface
public interface ImageChainReader {
    /**
     * The backing chain below {@code source} (an existing image in {@code format}): its first link, each link
     * {@link BackingStore#detected() detected}, ending with {@link BackingStore#end}; just the end when nothing backs
     * it. Indexes are left 0.
     *
     * @throws io.jvirt.api.VirtException libvirt's error when a backing image cannot be opened or named
     */
    BackingStore read(DiskSource source, DiskFormat format);
}
