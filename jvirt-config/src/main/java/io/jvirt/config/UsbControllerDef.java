package io.jvirt.config;

import java.util.Objects;

/**
 * {@code <controller type='usb'>}: the guest's USB host controller, which libvirt adds to every x86 guest it defines
 * unless told {@code model='none'}. jvirt builds it (it carries migration state, so a destination without it cannot
 * load a libvirt guest's stream); {@code model} is null when the XML gives none.
 */
public record UsbControllerDef(int index, String model, DeviceInfo info, UnknownXml unknown) implements DeviceDef {
    /** No USB controller at all ({@code -machine usb=off} and nothing else). */
    public static final String NONE = "none";

    public UsbControllerDef {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(unknown, "unknown");
    }

    @Override
    public UsbControllerDef withInfo(DeviceInfo newInfo) {
        return new UsbControllerDef(index, model, newInfo, unknown);
    }
}
