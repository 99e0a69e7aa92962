package io.jvirt.config;

import io.jvirt.api.VirtException;
import java.util.List;

/**
 * One device element on its own, as {@code virsh attach-device} and {@code detach-device} send it: parsed by the
 * same rules as inside {@code <devices>} of a domain, so a {@code <disk>} or {@code <interface>} here is exactly
 * what it would be in a definition. Stateless and thread-safe.
 */
public final class DeviceXml {
    /** What libvirt calls the document in its XML errors. */
    static final String WHAT = "device_definition";

    private DeviceXml() {}

    /**
     * Parses one device element ({@code <disk>}, {@code <interface>}…); an element jvirt does not model comes back
     * as an {@link UnknownDevice}.
     *
     * @throws VirtException as {@link DomainXml#parse} does for the same faults in a domain's devices
     */
    public static DeviceDef parse(String xml) {
        XmlElement element = SecureXml.parseElement(xml, WHAT);
        XmlElement devices = new XmlElement("devices", List.of(), List.of(element));
        List<DeviceDef> parsed = DeviceParser.parse(new ElementReader(devices, "/domain/devices"))
                .devices();
        // As libvirt's device post-parse: an IDE, SATA or SCSI disk gets the drive address its target implies.
        return parsed.getFirst() instanceof DiskDef disk ? DiskPostParse.withAddress(disk) : parsed.getFirst();
    }

    /** The element's name as libvirt names the device kind in its messages ({@code disk}, {@code interface}…). */
    public static String kind(DeviceDef device) {
        return switch (device) {
            case DiskDef _ -> "disk";
            case InterfaceDef _ -> "interface";
            case CharDeviceDef c -> c.kind().xml();
            case GraphicsDef _ -> "graphics";
            case VideoDef _ -> "video";
            case MemballoonDef _ -> "memballoon";
            case UsbControllerDef _ -> "controller";
            case UnknownDevice u -> u.element().name();
            // kinds added later name themselves after their record until listed here
            default -> device.getClass().getSimpleName().replace("Def", "").toLowerCase(java.util.Locale.ROOT);
        };
    }
}
