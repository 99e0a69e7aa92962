package io.jvirt.config;

import java.util.Objects;

/**
 * {@code <disk type='file'>}: an image file ({@code sourceFile}, null for an empty cdrom) shown as
 * {@code targetDev} on {@code bus}; {@code driverName} (e.g. qemu), {@code format} and {@code cache} from
 * {@code <driver>} are null when not given.
 */
public record DiskDef(
        DiskDevice device,
        String driverName,
        DiskFormat format,
        String cache,
        String sourceFile,
        String targetDev,
        DiskBus bus,
        boolean readonly,
        DeviceInfo info,
        UnknownXml unknown)
        implements DeviceDef {
    public DiskDef {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(targetDev, "targetDev");
        Objects.requireNonNull(bus, "bus");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(unknown, "unknown");
    }

    @Override
    public DiskDef withInfo(DeviceInfo newInfo) {
        return new DiskDef(device, driverName, format, cache, sourceFile, targetDev, bus, readonly, newInfo, unknown);
    }
}
