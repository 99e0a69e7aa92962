package io.jvirt.config;

import static io.jvirt.config.ConfigErrors.xml;

/**
 * Parses {@code <controller type='scsi'>} into a {@link ControllerDef} and {@code <controller type='usb'>} into a
 * {@link UsbControllerDef}, and writes them back; other controller types stay unknown devices. Stateless.
 */
final class ControllerParser {
    private ControllerParser() {}

    /** Whether {@code e} is a controller this parser models. */
    static boolean isModelled(XmlElement e) {
        return "scsi".equals(e.attribute("type")) || "usb".equals(e.attribute("type"));
    }

    static DeviceDef parse(ElementReader r) {
        String type = r.attr("type");
        Integer index = ConfigErrors.parseInt(r.attr("index"), "controller index", r.path());
        if (index != null && index < 0) {
            throw xml("Cannot parse controller index " + index);
        }
        String model = r.attr("model");
        DeviceInfo info = DeviceParser.info(r);
        int i = index == null ? 0 : index;
        return "usb".equals(type)
                ? new UsbControllerDef(i, model, info, r.unknown())
                : new ControllerDef(i, model, info, r.unknown());
    }

    /** The USB controller's element, before alias and address. */
    static ElementWriter format(UsbControllerDef c) {
        return new ElementWriter("controller", c.unknown())
                .attr("type", "usb")
                .attr("index", c.index())
                .attr("model", c.model())
                .unknownElementsHere();
    }

    /** The controller's element, before alias and address. */
    static ElementWriter format(ControllerDef c) {
        return new ElementWriter("controller", c.unknown())
                .attr("type", c.type())
                .attr("index", c.index())
                .attr("model", c.model())
                .unknownElementsHere();
    }
}
