package io.jvirt.config;

import java.util.Objects;

/** {@code <video><model type='vga' vram='16384' heads='1'/></video>}; model type (null: the driver's default), vram (KiB) and
 * heads null when absent. */
public record VideoDef(String modelType, Integer vram, Integer heads, DeviceInfo info, UnknownXml unknown)
        implements DeviceDef {
    public VideoDef {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(unknown, "unknown");
    }

    @Override
    public VideoDef withInfo(DeviceInfo newInfo) {
        return new VideoDef(modelType, vram, heads, newInfo, unknown);
    }
}
