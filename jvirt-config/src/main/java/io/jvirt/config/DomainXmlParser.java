package io.jvirt.config;

import static io.jvirt.config.ConfigErrors.unsupported;
import static io.jvirt.config.ConfigErrors.xml;

import io.jvirt.api.VirtException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Turns domain XML into a {@link DomainDef}: the modelled top-level elements, with devices left to
 * {@link DeviceParser}, and every other child of {@code <domain>} kept in place. Stateless.
 */
final class DomainXmlParser {
    static final String WHAT = "domain_definition";
    private static final Set<String> BOOT_DEVICES = Set.of("fd", "hd", "cdrom", "network");
    private static final Set<LifecycleAction> NON_CRASH_ACTIONS = Set.of(
            LifecycleAction.DESTROY, LifecycleAction.RESTART, LifecycleAction.PRESERVE, LifecycleAction.RENAME_RESTART);

    private DomainXmlParser() {}

    static DomainDef parse(String text) {
        XmlElement root = SecureXml.parseElement(text, WHAT);
        if (!root.name().equals("domain")) {
            throw xml("unexpected root element <" + root.name() + ">, expecting <domain>");
        }
        ElementReader r = new ElementReader(root, "/domain");
        DomainType type = type(r.attr("type"));
        int id = id(r.attr("id"));
        String name = name(r.childText("name"));
        UUID uuid = uuid(r.childText("uuid"));
        String title = title(r.child("title"));
        ElementReader descr = r.child("description");
        String description = descr == null ? null : descr.rawText();
        long memory = memory(r.child("memory"));
        if (memory == 0) {
            throw xml("Memory size must be specified via <memory> or in the <numa> configuration");
        }
        ElementReader currentEl = r.child("currentMemory");
        long current = currentEl == null ? memory : Math.min(memory(currentEl), memory);
        VcpuDef vcpu = vcpu(r.child("vcpu"));
        OsDef os = os(r.child("os"));
        List<String> features = features(r.child("features"));
        ElementReader clockEl = r.child("clock");
        ClockDef clock =
                clockEl == null || clockEl.attr("offset") == null ? ClockDef.UTC : new ClockDef(clockEl.attr("offset"));
        LifecycleAction onPoweroff = action(r.child("on_poweroff"), LifecycleAction.DESTROY);
        LifecycleAction onReboot = action(r.child("on_reboot"), LifecycleAction.RESTART);
        LifecycleAction onCrash = action(r.child("on_crash"), LifecycleAction.DESTROY);
        DeviceParser.Devices devices = DeviceParser.parse(r.child("devices"));
        List<PlacedElement> extras = placed(r);
        return new DomainDef(
                type,
                id,
                name,
                uuid,
                title,
                description,
                memory,
                current,
                vcpu,
                os,
                features,
                clock,
                onPoweroff,
                onReboot,
                onCrash,
                devices.emulator(),
                DiskPostParse.apply(devices.devices(), os),
                extras,
                r.unknown(false));
    }

    // Each unknown child remembers the last understood element before it, to be written back after it.
    private static List<PlacedElement> placed(ElementReader r) {
        List<PlacedElement> out = new ArrayList<>();
        String after = "";
        for (XmlElement e : r.elements()) {
            if (r.isUsed(e)) {
                after = e.name();
            } else {
                out.add(new PlacedElement(after, e));
            }
        }
        return out;
    }

    private static DomainType type(String type) {
        if (type == null) {
            throw xml("missing domain type attribute");
        }
        DomainType t = XmlValue.lookup(DomainType.class, type);
        if (t == null) {
            throw unsupported("domain type '" + type + "' is not supported: jvirt runs 'qemu' and 'kvm' domains");
        }
        return t;
    }

    private static int id(String id) {
        Integer value = ConfigErrors.parseInt(id, "domain id", "/domain/@id");
        if (value == null) {
            return -1;
        }
        if (value < -1) {
            throw xml("invalid domain id '" + id + "' at /domain/@id");
        }
        return value;
    }

    private static String name(String name) {
        if (name == null) {
            throw xml("missing name information");
        }
        if (name.contains("/")) {
            throw xml("name " + name + " cannot contain '/'");
        }
        if (name.contains("\n")) {
            throw xml("name '" + name.replace("\n", "\\n") + "' cannot contain a newline");
        }
        return name;
    }

    /** libvirt's UUID syntax: 32 hex digits, dashes anywhere between them. */
    static UUID uuid(String text) {
        if (text == null) {
            return UUID.randomUUID();
        }
        String hex = text.replace("-", "");
        if (hex.length() != 32 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw xml("malformed uuid element: '" + text + "' is not 32 hexadecimal digits");
        }
        byte[] b = HexFormat.of().parseHex(hex);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[i] & 0xff);
            lo = (lo << 8) | (b[i + 8] & 0xff);
        }
        return new UUID(hi, lo);
    }

    private static String title(ElementReader el) {
        if (el == null) {
            return null;
        }
        String title = el.rawText();
        if (title != null && title.contains("\n")) {
            throw xml("Domain title can't contain newlines");
        }
        return title;
    }

    private static long memory(ElementReader el) {
        if (el == null) {
            return 0;
        }
        String unit = el.attr("unit");
        String text = el.text();
        long value;
        try {
            value = text == null ? -1 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 0) {
            throw xml("could not parse memory element " + el.path() + ": '" + (text == null ? "" : text)
                    + "' is not a non-negative integer");
        }
        try {
            return MemoryUnits.toKiB(value, unit);
        } catch (VirtException e) {
            throw VirtException.of(e.code(), e.domain(), stripPrefix(e) + " in " + el.path(), e);
        }
    }

    private static String stripPrefix(VirtException e) {
        String prefix = e.code().message("");
        String m = e.getMessage();
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    private static VcpuDef vcpu(ElementReader el) {
        if (el == null) {
            return new VcpuDef(1, "static");
        }
        String placement = el.attr("placement");
        Integer count = ConfigErrors.parseInt(el.text(), "vcpu count", el.path());
        if (count == null || count < 1) {
            throw xml("Invalid vCPU count at " + el.path() + ": a domain needs at least 1 vCPU");
        }
        return new VcpuDef(count, placement == null ? "static" : placement);
    }

    private static OsDef os(ElementReader el) {
        ElementReader typeEl = el == null ? null : el.child("type");
        String type = typeEl == null ? null : typeEl.text();
        if (type == null) {
            throw xml("an os <type> must be specified");
        }
        if (!type.equals("hvm")) {
            throw unsupported("os type '" + type + "' is not supported: jvirt runs 'hvm' guests");
        }
        List<String> boot = new ArrayList<>();
        for (ElementReader b : el.children("boot")) {
            String dev = b.attr("dev");
            if (dev == null || !BOOT_DEVICES.contains(dev)) {
                throw xml("unknown boot device '" + dev + "' at " + b.path() + " (expected fd, hd, cdrom or network)");
            }
            boot.add(dev);
        }
        return new OsDef(
                type,
                typeEl.attr("arch"),
                typeEl.attr("machine"),
                el.childText("kernel"),
                el.childText("initrd"),
                el.childText("cmdline"),
                boot);
    }

    private static List<String> features(ElementReader el) {
        List<String> names = new ArrayList<>();
        if (el != null) {
            for (XmlElement f : el.elements()) {
                el.use(f, f.name(), el.path() + "/" + f.name());
                names.add(f.name());
            }
        }
        return names;
    }

    private static LifecycleAction action(ElementReader el, LifecycleAction dflt) {
        if (el == null) {
            return dflt;
        }
        String text = el.text();
        LifecycleAction a = XmlValue.lookup(LifecycleAction.class, text);
        boolean crash = el.name().equals("on_crash");
        if (a == null || (!crash && !NON_CRASH_ACTIONS.contains(a))) {
            throw xml("invalid value '" + text + "' for <" + el.name() + "> at " + el.path());
        }
        return a;
    }
}
