package io.jvirt.config;

import java.util.Objects;

/**
 * {@code <serial>} or {@code <console>} ({@code kind}) of {@code type} file, pty or unix. {@code sourcePath}: the
 * file, the unix socket, or (live only) the pty QEMU allocated; {@code append} ({@code on}/{@code off}) for files;
 * {@code sourceMode} ({@code bind}/{@code connect}) for sockets; target {@code port} and {@code type} as given.
 */
public record CharDeviceDef(
        CharDeviceKind kind,
        CharSourceType type,
        String sourcePath,
        Boolean append,
        String sourceMode,
        Integer targetPort,
        String targetType,
        DeviceInfo info,
        UnknownXml unknown)
        implements DeviceDef {
    public CharDeviceDef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(unknown, "unknown");
    }

    @Override
    public CharDeviceDef withInfo(DeviceInfo newInfo) {
        return new CharDeviceDef(kind, type, sourcePath, append, sourceMode, targetPort, targetType, newInfo, unknown);
    }

    /** This device with the pty path QEMU reported (for live XML). */
    public CharDeviceDef withSourcePath(String path) {
        return new CharDeviceDef(kind, type, path, append, sourceMode, targetPort, targetType, info, unknown);
    }
}
