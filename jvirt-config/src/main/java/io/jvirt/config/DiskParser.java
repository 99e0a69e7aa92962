package io.jvirt.config;

import static io.jvirt.config.ConfigErrors.unsupported;
import static io.jvirt.config.ConfigErrors.xml;

import io.jvirt.api.VirtException;
import java.util.Set;

/**
 * Parses {@code <disk>}: its type and device, {@code <driver>}, {@code <source>}, the {@code <backingStore>} chain,
 * {@code <target>}, {@code <readonly/>}, {@code <shareable/>}, {@code <serial>} and {@code <boot order>}, with
 * libvirt's errors for values libvirt does not know and jvirt's for settings it does not support. Stateless.
 */
final class DiskParser {
    // What libvirt knows but jvirt does not run, so that these are "unsupported" rather than "invalid".
    private static final Set<String> OTHER_TYPES = Set.of("dir", "network", "volume", "nvme", "vhostuser", "vhostvdpa");
    private static final Set<String> OTHER_DEVICES = Set.of("floppy", "lun");
    private static final Set<String> OTHER_BUSES = Set.of("fdc", "xen", "usb", "uml", "sd", "nvme");
    private static final Set<String> OTHER_FORMATS = Set.of(
            "none",
            "dir",
            "bochs",
            "cloop",
            "dmg",
            "iso",
            "vpc",
            "vdi",
            "fat",
            "vhd",
            "ploop",
            "cow",
            "qcow",
            "qed",
            "vmdk",
            "vhdx",
            "luks",
            "luks2",
            "parallels");

    private DiskParser() {}

    static DiskDef parse(ElementReader r) {
        DiskType type = type(r.attr("type"), "disk", r.path());
        String deviceText = r.attr("device");
        DiskDevice device = deviceText == null ? DiskDevice.DISK : XmlValue.lookup(DiskDevice.class, deviceText);
        if (device == null) {
            if (OTHER_DEVICES.contains(deviceText)) {
                throw unsupported("disk device '" + deviceText + "' at " + r.path()
                        + " is not supported: jvirt supports disk and cdrom"
                        + (deviceText.equals("lun") ? " (lun passes SCSI commands through to the host's device)" : ""));
            }
            throw invalidValue("device", "disk", deviceText);
        }
        DiskDriver driver = driver(r.child("driver"));
        ElementReader sourceEl = r.child("source");
        String path = sourceEl == null ? null : sourceEl.attr(type == DiskType.BLOCK ? "dev" : "file");
        DiskSource source = new DiskSource(type, path);
        if (path == null && device == DiskDevice.DISK) {
            throw xml("missing disk source at " + r.path() + ": a disk needs <source " + source.pathAttribute()
                    + "='...'/>");
        }
        BackingStore backing = backingStore(r);
        ElementReader target = r.child("target");
        String dev = target == null ? null : target.attr("dev");
        if (dev == null) {
            throw xml("missing target information for device " + (path != null ? path : r.path()));
        }
        DiskBus bus = bus(target.attr("bus"), dev, r.path());
        // libvirt makes every cdrom read-only
        boolean readonly = r.child("readonly") != null || device == DiskDevice.CDROM;
        boolean shareable = r.child("shareable") != null;
        String serial = r.childText("serial");
        Integer bootOrder = bootOrder(r.child("boot"));
        DeviceInfo info = DeviceParser.info(r);
        DriveAddress.of(info); // a malformed drive address fails here rather than at start
        return new DiskDef(
                device, source, driver, backing, dev, bus, readonly, shareable, serial, bootOrder, info, r.unknown());
    }

    private static DiskType type(String text, String element, String path) {
        if (text == null) {
            return DiskType.FILE;
        }
        DiskType type = XmlValue.lookup(DiskType.class, text);
        if (type == null) {
            if (OTHER_TYPES.contains(text)) {
                throw unsupported(element + " type '" + text + "' at " + path
                        + " is not supported: jvirt supports type='file' and type='block'");
            }
            throw invalidValue("type", element, text);
        }
        return type;
    }

    private static DiskDriver driver(ElementReader d) {
        if (d == null) {
            return DiskDriver.NONE;
        }
        String name = d.attr("name");
        if (name != null && !name.equals("qemu")) {
            throw unsupported("unsupported driver name '" + name + "' at " + d.path() + ": jvirt runs 'qemu'");
        }
        return new DiskDriver(
                name,
                format(d.attr("type"), d.path()),
                value(d, "cache", DiskCache.class),
                value(d, "io", DiskIo.class),
                value(d, "discard", DiskDiscard.class),
                value(d, "detect_zeroes", DiskDetectZeroes.class));
    }

    static DiskFormat format(String text, String path) {
        if (text == null) {
            return null;
        }
        DiskFormat format = XmlValue.lookup(DiskFormat.class, text);
        if (format == null) {
            if (OTHER_FORMATS.contains(text)) {
                throw unsupported("disk format '" + text + "' at " + path + " is not supported (raw, qcow2)");
            }
            throw xml("unknown driver format value '" + text + "'");
        }
        return format;
    }

    private static <E extends Enum<E> & XmlValue> E value(ElementReader d, String attr, Class<E> type) {
        String text = d.attr(attr);
        if (text == null) {
            return null;
        }
        E value = XmlValue.lookup(type, text);
        if (value == null) {
            throw invalidValue(attr, d.name(), text);
        }
        return value;
    }

    /** The {@code <backingStore>} under {@code parent} (a disk or a backing store), or null when there is none. */
    private static BackingStore backingStore(ElementReader parent) {
        ElementReader b = parent.child("backingStore");
        if (b == null) {
            return null;
        }
        String typeText = b.attr("type");
        if (typeText == null) {
            return BackingStore.end(false);
        }
        DiskType type = type(typeText, "backingStore", b.path());
        ElementReader formatEl = b.child("format");
        String formatText = formatEl == null ? null : formatEl.attr("type");
        if (formatText == null) {
            throw xml("missing disk backing store format");
        }
        DiskFormat format = format(formatText, b.path());
        ElementReader sourceEl = b.child("source");
        String path = sourceEl == null ? null : sourceEl.attr(type == DiskType.BLOCK ? "dev" : "file");
        if (path == null) {
            throw xml("missing disk backing store source");
        }
        Integer index = ConfigErrors.parseInt(b.attr("index"), "backing store index", b.path());
        BackingStore next = backingStore(b);
        return new BackingStore(new DiskSource(type, path), format, index == null ? 0 : index, next, false);
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
            if (OTHER_BUSES.contains(busText)) {
                throw unsupported(
                        "disk bus '" + busText + "' at " + path + " is not supported (virtio, sata, ide, scsi)");
            }
            throw invalidValue("bus", "target", busText);
        }
        return bus;
    }

    private static Integer bootOrder(ElementReader boot) {
        if (boot == null) {
            return null;
        }
        String text = boot.attr("order");
        if (text == null) {
            throw xml("Missing required attribute 'order' in element 'boot'");
        }
        int order;
        try {
            order = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            order = 0;
        }
        if (order <= 0) {
            throw invalidValue("order", "boot", text);
        }
        return order;
    }

    /** libvirt's wording for an attribute value outside its enum. */
    static VirtException invalidValue(String attr, String element, String value) {
        return xml("Invalid value for attribute '" + attr + "' in element '" + element + "': '" + value + "'.");
    }
}
