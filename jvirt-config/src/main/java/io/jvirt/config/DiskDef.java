package io.jvirt.config;

import java.util.List;
import java.util.Objects;

/**
 * {@code <disk>}: an image ({@code source}, a file or block device; empty for a cdrom drive without media) in
 * {@code driver}'s format and modes, shown to the guest as {@code device} {@code targetDev} on {@code bus}.
 * {@code backingStore} is the image's backing chain (null when unknown: the driver reads it from the image at
 * start). {@code serial} and {@code bootOrder} ({@code <boot order=>}) are null when not given. Immutable.
 */
public record DiskDef(
        DiskDevice device,
        DiskSource source,
        DiskDriver driver,
        BackingStore backingStore,
        String targetDev,
        DiskBus bus,
        boolean readonly,
        boolean shareable,
        String serial,
        Integer bootOrder,
        DeviceInfo info,
        UnknownXml unknown)
        implements DeviceDef {
    public DiskDef {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(targetDev, "targetDev");
        Objects.requireNonNull(bus, "bus");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(unknown, "unknown");
    }

    /** A file disk with only the settings jvirt modelled first (kept for callers that build simple disks). */
    public DiskDef(
            DiskDevice device,
            String driverName,
            DiskFormat format,
            String cache,
            String sourceFile,
            String targetDev,
            DiskBus bus,
            boolean readonly,
            DeviceInfo info,
            UnknownXml unknown) {
        this(
                device,
                new DiskSource(DiskType.FILE, sourceFile),
                new DiskDriver(
                        driverName,
                        format,
                        cache == null ? null : XmlValue.lookup(DiskCache.class, cache),
                        null,
                        null,
                        null),
                null,
                targetDev,
                bus,
                readonly,
                false,
                null,
                null,
                info,
                unknown);
    }

    /** The path of the disk's own image (file or block device), or null for an empty drive. */
    public String sourceFile() {
        return source.path();
    }

    /** The image format from {@code <driver type=>}, or null when not given (QEMU then gets raw). */
    public DiskFormat format() {
        return driver.format();
    }

    /** The backing images below the disk's own, top first (none when the chain is unknown or ends at once). */
    public List<BackingStore> backingImages() {
        return BackingStore.images(backingStore);
    }

    @Override
    public DiskDef withInfo(DeviceInfo newInfo) {
        return new DiskDef(
                device,
                source,
                driver,
                backingStore,
                targetDev,
                bus,
                readonly,
                shareable,
                serial,
                bootOrder,
                newInfo,
                unknown);
    }

    /** This disk with another image (e.g. a migration destination's path); the backing chain is then unknown. */
    public DiskDef withSource(DiskSource newSource) {
        return new DiskDef(
                device, newSource, driver, null, targetDev, bus, readonly, shareable, serial, bootOrder, info, unknown);
    }

    /** This disk with another backing chain (null: unknown). */
    public DiskDef withBackingStore(BackingStore newBackingStore) {
        return new DiskDef(
                device,
                source,
                driver,
                newBackingStore,
                targetDev,
                bus,
                readonly,
                shareable,
                serial,
                bootOrder,
                info,
                unknown);
    }
}
