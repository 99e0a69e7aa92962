package io.jvirt.driver.process;

import io.jvirt.config.ControllerDef;
import io.jvirt.config.DeviceDef;
import io.jvirt.config.DeviceInfo;
import io.jvirt.config.DiskBus;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DomainDef;
import io.jvirt.config.InterfaceDef;
import io.jvirt.config.MemballoonDef;
import io.jvirt.config.UsbControllerDef;
import io.jvirt.config.VideoDef;
import io.jvirt.config.XmlAttr;
import io.jvirt.config.XmlElement;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.QmpCommandException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PCI slots of a guest's devices, kept in the live definition ({@code <address type='pci' domain='0x0000'
 * bus='0x00' slot='0x04' function='0x0'/>}) and given back to QEMU as {@code bus}/{@code addr}, so that a QEMU
 * started for an incoming migration puts every device where the source had it, hot-plugged ones included. QEMU's
 * migration stream names devices by their PCI slot, so a device elsewhere fails the migration. A device without an
 * address gets QEMU's first free slot, which is read back with {@code query-pci} once QEMU runs, as for a
 * hot-plugged device. Only slots on the root bus (0) are honoured; an address elsewhere (a libvirt XML with PCIe
 * root ports, which jvirt does not create) is left to QEMU. Stateless.
 */
public final class PciAddresses {
    private PciAddresses() {}

    /**
     * {@code bus} and {@code addr} of a device whose {@code info} holds a PCI address on the root bus of
     * {@code machine}, in libvirt's form ({@code "addr": "0x4"}, {@code "0x4.0x1"} for another function); empty
     * for none.
     */
    public static Map<String, Object> props(DeviceInfo info, String machine) {
        Map<String, Object> p = new LinkedHashMap<>();
        int[] slot = rootSlot(info);
        if (slot != null) {
            p.put("bus", DiskDeviceProps.isQ35(machine) ? "pcie.0" : "pci.0");
            p.put(
                    "addr",
                    "0x" + Integer.toHexString(slot[0]) + (slot[1] == 0 ? "" : ".0x" + Integer.toHexString(slot[1])));
        }
        return p;
    }

    /** As {@link #props}, as the tail of a {@code -device} option in key=value syntax ({@code ",bus=pci.0,addr=0x4"}). */
    public static String suffix(DeviceInfo info, String machine) {
        StringBuilder s = new StringBuilder();
        props(info, machine)
                .forEach((k, v) -> s.append(',').append(k).append('=').append(v));
        return s.toString();
    }

    /**
     * {@code live} with the slot QEMU gave each PCI device that has no address yet, from {@code query-pci}; as it
     * was when QEMU does not answer that command (a stand-in).
     */
    public static DomainDef fill(DomainDef live, Monitor monitor) throws IOException {
        if (live.devices().stream().noneMatch(d -> isPci(d) && d.info().address() == null)) {
            return live;
        }
        Map<String, int[]> slots;
        try {
            slots = rootBusSlots(monitor.execute("query-pci", Map.of()).get("return"));
        } catch (QmpCommandException e) {
            return live;
        }
        List<DeviceDef> devices = new ArrayList<>(live.devices().size());
        for (DeviceDef d : live.devices()) {
            int[] slot = d.alias() == null ? null : slots.get(d.alias());
            devices.add(
                    isPci(d) && d.info().address() == null && slot != null
                            ? d.withInfo(new DeviceInfo(d.alias(), element(slot[0], slot[1])))
                            : d);
        }
        return live.withDevices(devices);
    }

    /** Whether QEMU puts {@code d} on a PCI bus. */
    static boolean isPci(DeviceDef d) {
        return switch (d) {
            case DiskDef disk -> disk.bus() == DiskBus.VIRTIO;
            case ControllerDef _, InterfaceDef _, VideoDef _ -> true;
            case UsbControllerDef u -> UsbCommandLine.isPci(u);
            case MemballoonDef b -> "virtio".equals(b.model());
            default -> false;
        };
    }

    /** qdev id to {slot, function} of the devices on bus 0 in a {@code query-pci} reply. */
    static Map<String, int[]> rootBusSlots(Object reply) {
        Map<String, int[]> out = new HashMap<>();
        if (reply instanceof List<?> buses) {
            for (Object b : buses) {
                if (b instanceof Map<?, ?> bus
                        && bus.get("bus") instanceof Number n
                        && n.intValue() == 0
                        && bus.get("devices") instanceof List<?> devices) {
                    for (Object o : devices) {
                        if (o instanceof Map<?, ?> dev
                                && dev.get("qdev_id") instanceof String id
                                && !id.isEmpty()
                                && dev.get("slot") instanceof Number slot
                                && dev.get("function") instanceof Number fn) {
                            out.put(id, new int[] {slot.intValue(), fn.intValue()});
                        }
                    }
                }
            }
        }
        return out;
    }

    static XmlElement element(int slot, int function) {
        return XmlElement.empty(
                "address",
                List.of(
                        new XmlAttr("type", "pci"),
                        new XmlAttr("domain", "0x0000"),
                        new XmlAttr("bus", "0x00"),
                        new XmlAttr("slot", "0x%02x".formatted(slot)),
                        new XmlAttr("function", "0x" + Integer.toHexString(function))));
    }

    /** {slot, function} of a PCI address on domain 0, bus 0; null for none, another kind, or another bus. */
    private static int[] rootSlot(DeviceInfo info) {
        XmlElement a = info.address();
        if (a == null || !"pci".equals(a.attribute("type"))) {
            return null;
        }
        try {
            if (number(a, "domain") != 0 || number(a, "bus") != 0) {
                return null;
            }
            return new int[] {number(a, "slot"), number(a, "function")};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int number(XmlElement a, String attr) {
        String v = a.attribute(attr);
        return v == null ? 0 : Integer.decode(v.strip());
    }
}
