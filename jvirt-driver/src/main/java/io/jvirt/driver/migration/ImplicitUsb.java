package io.jvirt.driver.migration;

import io.jvirt.config.DeviceDef;
import io.jvirt.config.DeviceInfo;
import io.jvirt.config.DomainDef;
import io.jvirt.config.UnknownXml;
import io.jvirt.config.UsbControllerDef;
import java.util.ArrayList;
import java.util.List;

/**
 * The USB controller a migration XML leaves unsaid. libvirt drops the USB controller it added by default from the
 * XML it migrates with, and its destination adds the same one back; a jvirt guest without one has none. So what
 * jvirt sends always says which (a guest without one gets {@code model='none'}), and what it receives without any
 * gets libvirt's default, which is what a libvirt source runs. Stateless.
 */
final class ImplicitUsb {
    private ImplicitUsb() {}

    /** {@code def} as a jvirt source sends it: with {@code <controller type='usb' model='none'/>} if it has none. */
    static DomainDef explicit(DomainDef def) {
        return def.devicesOf(UsbControllerDef.class).isEmpty() ? with(def, UsbControllerDef.NONE) : def;
    }

    /**
     * {@code def} as a destination builds it: with the controller libvirt adds to an x86 guest whose XML has none
     * (PIIX3 UHCI on {@code pc}, qemu-xhci on q35).
     */
    static DomainDef withLibvirtDefault(DomainDef def) {
        if (!def.devicesOf(UsbControllerDef.class).isEmpty() || !isX86(def)) {
            return def;
        }
        String machine = def.os().machine() == null ? "pc" : def.os().machine();
        boolean q35 = machine.startsWith("q35") || machine.startsWith("pc-q35");
        return with(def, q35 ? "qemu-xhci" : "piix3-uhci");
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
