package io.jvirt.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The USB controller a migration or save-image XML leaves unsaid. libvirt drops the USB controller it added by
 * default from the XML it migrates and saves with, and adds the same one back where it reads such XML; a jvirt guest
 * without one has none. So what jvirt writes for another host always says which (a guest without one gets
 * {@code model='none'}), and what it reads without any gets libvirt's default, which is what a libvirt source ran.
 * Stateless.
 */
public final class ImplicitUsb {
    private ImplicitUsb() {}

    /** {@code def} as a jvirt source sends it: with {@code <controller type='usb' model='none'/>} if it has none. */
    public static DomainDef explicit(DomainDef def) {
        return def.devicesOf(UsbControllerDef.class).isEmpty() ? with(def, UsbControllerDef.NONE) : def;
    }

    /**
     * {@code def} as a destination builds it: with the controller libvirt adds to an x86 guest whose XML has none
     * (PIIX3 UHCI on {@code pc}, qemu-xhci on q35).
     */
    public static DomainDef withLibvirtDefault(DomainDef def) {
        if (!def.devicesOf(UsbControllerDef.class).isEmpty() || !isX86(def)) {
            return def;
        }
        return with(
                def, defaultModel(def.os().machine() == null ? "pc" : def.os().machine()));
    }

    /** The model libvirt gives a USB controller whose XML names none: PIIX3 UHCI on pc, qemu-xhci on q35. */
    public static String defaultModel(String machine) {
        return machine.startsWith("q35") || machine.startsWith("pc-q35") ? "qemu-xhci" : "piix3-uhci";
    }

    private static boolean isX86(DomainDef def) {
        String arch = def.os().arch();
        return arch == null || arch.equals("x86_64") || arch.equals("i686");
    }

    private static DomainDef with(DomainDef def, String model) {
        List<DeviceDef> devices = new ArrayList<>(def.devices());
        devices.add(new UsbControllerDef(0, model, DeviceInfo.NONE, UnknownXml.NONE));
        return def.withDevices(devices);
    }
}
