package io.jvirt.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link DomainDef} in libvirt's element order, putting each kept unknown child of {@code <domain>}
 * after the modelled element it followed in the input. Stateless.
 */
final class DomainXmlFormatter {
    /** The modelled children of {@code <domain>}, in the order libvirt writes them. */
    static final List<String> ORDER = List.of(
            "name",
            "uuid",
            "title",
            "description",
            "memory",
            "currentMemory",
            "vcpu",
            "os",
            "features",
            "clock",
            "on_poweroff",
            "on_reboot",
            "on_crash",
            "devices");

    private DomainXmlFormatter() {}

    static String format(DomainDef def, Set<FormatFlag> flags) {
        boolean live = !flags.contains(FormatFlag.INACTIVE) && !flags.contains(FormatFlag.MIGRATABLE);
        Map<String, List<XmlElement>> extras = new LinkedHashMap<>();
        for (PlacedElement p : def.extras()) {
            String after = p.after().isEmpty() || ORDER.contains(p.after()) ? p.after() : "devices";
            extras.computeIfAbsent(after, k -> new ArrayList<>()).add(p.element());
        }
        ElementWriter w = new ElementWriter("domain", def.unknown());
        w.attr("type", def.type().xml());
        if (live && def.id() >= 0) {
            w.attr("id", def.id());
        }
        extras.getOrDefault("", List.of()).forEach(w::element);
        for (String slot : ORDER) {
            slot(w, slot, def, flags);
            extras.getOrDefault(slot, List.of()).forEach(w::element);
        }
        return SecureXml.write(w.build());
    }

    private static void slot(ElementWriter w, String slot, DomainDef def, Set<FormatFlag> flags) {
        switch (slot) {
            case "name" -> w.textChild("name", def.name());
            case "uuid" -> w.textChild("uuid", def.uuid().toString());
            case "title" -> w.textChild("title", def.title());
            case "description" -> w.textChild("description", def.description());
            case "memory" -> w.child("memory", m -> m.attr("unit", "KiB").text(Long.toString(def.memoryKiB())));
            case "currentMemory" ->
                w.child("currentMemory", m -> m.attr("unit", "KiB").text(Long.toString(def.currentMemoryKiB())));
            case "vcpu" ->
                w.child("vcpu", v -> v.attr("placement", def.vcpu().placement()).text(Integer.toString(def.vcpus())));
            case "os" -> w.child("os", o -> os(o, def.os()));
            case "features" -> {
                if (!def.features().isEmpty()) {
                    w.child("features", f -> def.features().forEach(name -> f.child(name, x -> {})));
                }
            }
            case "clock" -> w.child("clock", c -> c.attr("offset", def.clock().offset()));
            case "on_poweroff" -> w.textChild("on_poweroff", def.onPoweroff().xml());
            case "on_reboot" -> w.textChild("on_reboot", def.onReboot().xml());
            case "on_crash" -> w.textChild("on_crash", def.onCrash().xml());
            case "devices" ->
                w.child("devices", d -> {
                    d.textChild("emulator", def.emulator());
                    def.devices().forEach(dev -> d.element(DeviceFormatter.format(dev, flags)));
                });
            default -> throw new IllegalStateException("no writer for <" + slot + ">");
        }
    }

    private static void os(ElementWriter o, OsDef os) {
        o.child(
                "type",
                t -> t.attr("arch", os.arch()).attr("machine", os.machine()).text(os.type()));
        o.textChild("kernel", os.kernel());
        o.textChild("initrd", os.initrd());
        o.textChild("cmdline", os.cmdline());
        for (int i = 0; i < os.bootDevices().size(); i++) {
            String dev = os.bootDevices().get(i);
            o.child("boot#" + i, "boot", b -> b.attr("dev", dev));
        }
    }
}
