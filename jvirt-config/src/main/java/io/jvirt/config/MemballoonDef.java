package io.jvirt.config;

import java.util.Objects;

/** {@code <memballoon model='virtio'|'none'/>}. */
public record MemballoonDef(String model, DeviceInfo info, UnknownXml unknown) implements DeviceDef {
    public MemballoonDef {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(unknown, "unknown");
    }

    @Override
    public MemballoonDef withInfo(DeviceInfo newInfo) {
        return new MemballoonDef(model, newInfo, unknown);
    }
}
