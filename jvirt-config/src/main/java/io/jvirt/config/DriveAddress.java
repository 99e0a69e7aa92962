package io.jvirt.config;

import java.util.List;

/**
 * {@code <address type='drive' controller= bus= target= unit=>}: where an IDE, SATA or SCSI disk sits. Disks
 * without one get it from their target name when parsed, as libvirt assigns it.
 */
public record DriveAddress(int controller, int bus, int target, int unit) {
    /** The drive address in {@code info}, or null when it has none (or another kind). */
    public static DriveAddress of(DeviceInfo info) {
        XmlElement a = info.address();
        if (a == null || !"drive".equals(a.attribute("type"))) {
            return null;
        }
        return new DriveAddress(num(a, "controller"), num(a, "bus"), num(a, "target"), num(a, "unit"));
    }

    /** This address as the element libvirt writes. */
    public XmlElement toXml() {
        return XmlElement.empty(
                "address",
                List.of(
                        new XmlAttr("type", "drive"),
                        new XmlAttr("controller", Integer.toString(controller)),
                        new XmlAttr("bus", Integer.toString(bus)),
                        new XmlAttr("target", Integer.toString(target)),
                        new XmlAttr("unit", Integer.toString(unit))));
    }

    private static int num(XmlElement a, String attr) {
        String v = a.attribute(attr);
        try {
            return v == null ? 0 : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw ConfigErrors.xml("Cannot parse <address> '" + attr + "' attribute '" + v + "'");
        }
    }
}
