package io.jvirt.config;

import java.util.Objects;

/**
 * {@code <interface type='user'>}: QEMU's user-mode network. {@code mac} is lower-case
 * {@code xx:xx:xx:xx:xx:xx} (generated in QEMU's 52:54:00 range when absent); {@code modelType} (e.g. virtio,
 * e1000) is null when absent.
 */
public record InterfaceDef(String mac, String modelType, DeviceInfo info, UnknownXml unknown) implements DeviceDef {
    public InterfaceDef {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(unknown, "unknown");
    }

    @Override
    public InterfaceDef withInfo(DeviceInfo newInfo) {
        return new InterfaceDef(mac, modelType, newInfo, unknown);
    }
}
