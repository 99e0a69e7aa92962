package io.jvirt.config;

import java.util.Objects;

/**
 * A device jvirt does not model ({@code <rng>}, {@code <controller>}, {@code <input>}...), kept verbatim except
 * for its {@code <alias>}, which is taken out into {@code info} so that inactive XML drops it as for any device.
 */
public record UnknownDevice(XmlElement element, DeviceInfo info) implements DeviceDef {
    public UnknownDevice {
        Objects.requireNonNull(element, "element");
        Objects.requireNonNull(info, "info");
    }

    @Override
    public UnknownXml unknown() {
        return UnknownXml.NONE;
    }

    /** Only the alias is taken; the address stays inside the kept element. */
    @Override
    public UnknownDevice withInfo(DeviceInfo newInfo) {
        return new UnknownDevice(element, new DeviceInfo(newInfo.alias(), null));
    }
}
