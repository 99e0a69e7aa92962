package io.jvirt.driver.process;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.config.ImplicitUsb;
import io.jvirt.config.UsbControllerDef;
import io.jvirt.qmp.JsonText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The guest's USB controllers on QEMU's command line. A libvirt guest on a {@code pc} machine has a PIIX3 UHCI
 * controller in function 2 of the southbridge's slot 1 unless its XML says {@code model='none'}; jvirt builds the
 * same device in the same place, because a destination without it cannot load the source's migration stream
 * ("Unknown savevm section ... uhci"). Stateless.
 */
public final class UsbCommandLine {
    /** QEMU device per libvirt model. */
    private static final Map<String, String> DRIVERS = Map.of(
            "piix3-uhci", "piix3-usb-uhci",
            "piix4-uhci", "piix4-usb-uhci",
            "ich9-ehci1", "ich9-usb-ehci1",
            "qemu-xhci", "qemu-xhci",
            "nec-xhci", "nec-usb-xhci");
    /** Where libvirt puts a PIIX UHCI controller that has no address: the PIIX3 southbridge's function 2. */
    private static final String PIIX_ADDR = "0x1.0x2";

    private UsbCommandLine() {}

    /** Appends a {@code -device} per USB controller of the live definition {@code def} to {@code argv}. */
    public static void add(DomainDef def, List<String> argv) {
        String machine = def.os().machine() == null ? "pc" : def.os().machine();
        for (UsbControllerDef c : def.devicesOf(UsbControllerDef.class)) {
            Map<String, Object> props = device(c, machine);
            if (props != null) {
                argv.add("-device");
                argv.add(JsonText.write(props));
            }
        }
    }

    /** The controller's {@code -device} properties; null for {@code model='none'}. */
    static Map<String, Object> device(UsbControllerDef c, String machine) {
        String model = c.model() == null ? ImplicitUsb.defaultModel(machine) : c.model();
        if (UsbControllerDef.NONE.equals(model)) {
            return null;
        }
        String driver = DRIVERS.get(model);
        if (driver == null) {
            throw VirtException.of(
                    ErrorCode.CONFIG_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    "USB controller model '" + model + "' is not supported (" + String.join(", ", DRIVERS.keySet())
                            + ", none)");
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("driver", driver);
        p.put("id", c.alias());
        Map<String, Object> slot = PciAddresses.props(c.info(), machine);
        if (slot.isEmpty() && model.endsWith("-uhci") && !DiskDeviceProps.isQ35(machine)) {
            p.put("bus", "pci.0");
            p.put("addr", PIIX_ADDR);
        }
        p.putAll(slot);
        return p;
    }

    /** Whether the controller sits on PCI (it has a device at all). */
    static boolean isPci(UsbControllerDef c) {
        return !UsbControllerDef.NONE.equals(c.model());
    }

    /** libvirt's alias: {@code usb} for the first controller, {@code usbN} for the others. */
    static String alias(UsbControllerDef c) {
        return c.index() == 0 ? "usb" : "usb" + c.index();
    }
}
