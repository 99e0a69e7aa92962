package io.jvirt.config;

import static io.jvirt.config.ConfigErrors.xml;

/**
 * Parses {@code <controller type='scsi'>} into a {@link ControllerDef} and writes it back; other controller
 * types stay unknown devices. Stateless.
 */
final class ControllerParser {
    private ControllerParser() {}

    /** Whether {@code e} is a controller this parser models. */
    static boolean isModelled(XmlElement e) {
        return "scsi".equals(e.attribute("type"));
    }

    static ControllerDef parse(ElementReader r) {
        r.attr("type");
        Integer index = ConfigErrors.parseInt(r.attr("index"), "controller index", r.path());
        if (index != null && index < 0) {
            throw xml("Cannot parse controller index " + index);
        }
        String model = r.attr("model");
        DeviceInfo info = DeviceParser.info(r);
        return new ControllerDef(index == null ? 0 : index, model, info, r.unknown());
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
