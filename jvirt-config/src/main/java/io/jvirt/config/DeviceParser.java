package io.jvirt.config;

import static io.jvirt.config.ConfigErrors.xml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the children of {@code <devices>} in document order: modelled devices into their records (each with
 * its own unknowns), others into {@link UnknownDevice}s. Stateless.
 */
final class DeviceParser {
    /** The emulator (or null) and the devices in order. */
    record Devices(String emulator, List<DeviceDef> devices) {}

    private DeviceParser() {}

    static Devices parse(ElementReader devices) {
        if (devices == null) {
            return new Devices(null, List.of());
        }
        String emulator = devices.childText("emulator");
        List<DeviceDef> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (XmlElement e : devices.elements()) {
            if (devices.isUsed(e)) {
                continue;
            }
            devices.markUsed(e);
            String name = e.name();
            int index = seen.merge(name, 1, Integer::sum);
            ElementReader r = new ElementReader(e, devices.path() + "/" + name + "[" + index + "]");
            out.add(
                    switch (name) {
                        case "disk" -> DiskParser.parse(r);
                        case "serial" -> CharDeviceParser.parse(r, CharDeviceKind.SERIAL);
                        case "console" -> CharDeviceParser.parse(r, CharDeviceKind.CONSOLE);
                        case "graphics" -> GraphicsParser.parse(r);
                        case "video" -> video(r);
                        case "memballoon" -> memballoon(r);
                        case "interface" -> InterfaceParser.parse(r);
                        case "controller" ->
                            ControllerParser.isModelled(e) ? ControllerParser.parse(r) : unknownDevice(r);
                        default -> unknownDevice(r);
                    });
        }
        return new Devices(emulator, out);
    }

    /** Alias and address; call before {@link ElementReader#unknown()}. */
    static DeviceInfo info(ElementReader r) {
        XmlElement alias = r.take("alias");
        XmlElement address = r.take("address");
        return alias == null && address == null
                ? DeviceInfo.NONE
                : new DeviceInfo(alias == null ? null : alias.attribute("name"), address);
    }

    private static VideoDef video(ElementReader r) {
        ElementReader model = r.child("model");
        String type = model == null ? null : model.attr("type");
        Integer vram = model == null ? null : ConfigErrors.parseInt(model.attr("vram"), "video vram", model.path());
        Integer heads = model == null ? null : ConfigErrors.parseInt(model.attr("heads"), "video heads", model.path());
        DeviceInfo info = info(r);
        return new VideoDef(type, vram, heads, info, r.unknown());
    }

    private static MemballoonDef memballoon(ElementReader r) {
        String model = r.attr("model");
        if (model == null) {
            throw xml("balloon memory must contain model name at " + r.path());
        }
        DeviceInfo info = info(r);
        return new MemballoonDef(model, info, r.unknown());
    }

    private static UnknownDevice unknownDevice(ElementReader r) {
        XmlElement alias = r.take("alias");
        XmlElement whole = r.element();
        List<XmlNode> kept = whole.children().stream()
                .filter(n -> !(n instanceof XmlElement c && c.name().equals("alias")))
                .toList();
        return new UnknownDevice(
                new XmlElement(whole.name(), whole.attributes(), kept),
                new DeviceInfo(alias == null ? null : alias.attribute("name"), null));
    }
}
