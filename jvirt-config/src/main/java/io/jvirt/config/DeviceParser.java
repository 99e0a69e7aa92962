package io.jvirt.config;

import static io.jvirt.config.ConfigErrors.unsupported;
import static io.jvirt.config.ConfigErrors.xml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the children of {@code <devices>} in document order: modelled devices into their records (each with
 * its own unknowns), others into {@link UnknownDevice}s. Stateless.
 */
final class DeviceParser {
    private static final Set<String> CACHE_MODES =
            Set.of("default", "none", "writethrough", "writeback", "directsync", "unsafe");

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
                        case "disk" -> disk(r);
                        case "serial" -> CharDeviceParser.parse(r, CharDeviceKind.SERIAL);
                        case "console" -> CharDeviceParser.parse(r, CharDeviceKind.CONSOLE);
                        case "graphics" -> GraphicsParser.parse(r);
                        case "video" -> video(r);
                        case "memballoon" -> memballoon(r);
                        case "interface" -> InterfaceParser.parse(r);
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

    private static DiskDef disk(ElementReader r) {
        String type = r.attr("type");
        if (type != null && !type.equals("file")) {
            throw unsupported(
                    "disk type '" + type + "' at " + r.path() + " is not supported: jvirt supports type='file'");
        }
        String deviceText = r.attr("device");
        DiskDevice device = deviceText == null ? DiskDevice.DISK : XmlValue.lookup(DiskDevice.class, deviceText);
        if (device == null) {
            throw unsupported("disk device '" + deviceText + "' at " + r.path() + " is not supported (disk, cdrom)");
        }
        ElementReader driver = r.child("driver");
        String driverName = driver == null ? null : driver.attr("name");
        String formatText = driver == null ? null : driver.attr("type");
        DiskFormat format = formatText == null ? null : XmlValue.lookup(DiskFormat.class, formatText);
        if (formatText != null && format == null) {
            throw unsupported("disk format '" + formatText + "' at " + r.path() + " is not supported (raw, qcow2)");
        }
        String cache = driver == null ? null : driver.attr("cache");
        if (cache != null && !CACHE_MODES.contains(cache)) {
            throw xml("unknown disk cache mode '" + cache + "' at " + r.path());
        }
        ElementReader source = r.child("source");
        String file = source == null ? null : source.attr("file");
        if (file == null && device == DiskDevice.DISK) {
            throw xml("missing disk source at " + r.path() + ": a file disk needs <source file='...'/>");
        }
        ElementReader target = r.child("target");
        String dev = target == null ? null : target.attr("dev");
        if (dev == null) {
            throw xml("missing target information for device " + (file != null ? file : r.path()));
        }
        DiskBus bus = bus(target.attr("bus"), dev, r.path());
        boolean readonly = r.child("readonly") != null;
        DeviceInfo info = info(r);
        return new DiskDef(device, driverName, format, cache, file, dev, bus, readonly, info, r.unknown());
    }

    // libvirt derives a missing bus from the target name's prefix.
    private static DiskBus bus(String busText, String dev, String path) {
        if (busText == null) {
            if (dev.startsWith("vd")) {
                return DiskBus.VIRTIO;
            } else if (dev.startsWith("sd")) {
                return DiskBus.SCSI;
            } else if (dev.startsWith("hd")) {
                return DiskBus.IDE;
            }
            throw xml("cannot tell the bus of disk target '" + dev + "' at " + path + ": give <target bus='...'/>");
        }
        DiskBus bus = XmlValue.lookup(DiskBus.class, busText);
        if (bus == null) {
            throw unsupported("disk bus '" + busText + "' at " + path + " is not supported (virtio, sata, ide, scsi)");
        }
        return bus;
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
