package io.jvirt.driver.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's {@code <sysinfo type='smbios'>} document as {@code virConnectGetSysinfo} returns it: BIOS, system,
 * base board and chassis entries from the kernel's DMI files (/sys/class/dmi/id, absent on hosts without SMBIOS)
 * and one processor entry per socket from /proc/cpuinfo.
 *
 * <p>Threading: any; reads the files on every call.
 */
public final class Sysinfo {
    private static final Path DMI = Path.of("/sys/class/dmi/id");
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    /** Each section and its entries: libvirt's entry name, then the DMI file it is read from. */
    private static final Map<String, String[][]> SECTIONS = new LinkedHashMap<>();

    static {
        SECTIONS.put("bios", new String[][] {
            {"vendor", "bios_vendor"}, {"version", "bios_version"}, {"date", "bios_date"}, {"release", "bios_release"}
        });
        SECTIONS.put("system", new String[][] {
            {"manufacturer", "sys_vendor"},
            {"product", "product_name"},
            {"version", "product_version"},
            {"serial", "product_serial"},
            {"uuid", "product_uuid"},
            {"sku", "product_sku"},
            {"family", "product_family"}
        });
        SECTIONS.put("baseBoard", new String[][] {
            {"manufacturer", "board_vendor"},
            {"product", "board_name"},
            {"version", "board_version"},
            {"serial", "board_serial"},
            {"asset", "board_asset_tag"}
        });
        SECTIONS.put("chassis", new String[][] {
            {"manufacturer", "chassis_vendor"},
            {"version", "chassis_version"},
            {"serial", "chassis_serial"},
            {"asset", "chassis_asset_tag"}
        });
    }

    private Sysinfo() {}

    public static String xml() {
        StringBuilder out = new StringBuilder("<sysinfo type='smbios'>\n");
        for (Map.Entry<String, String[][]> s : SECTIONS.entrySet()) {
            StringBuilder entries = new StringBuilder();
            for (String[] e : s.getValue()) {
                String v = NodeStats.read(DMI.resolve(e[1])).strip();
                if (!v.isEmpty()) {
                    entries.append("    <entry name='")
                            .append(e[0])
                            .append("'>")
                            .append(escape(v))
                            .append("</entry>\n");
                }
            }
            if (!entries.isEmpty()) {
                out.append("  <").append(s.getKey()).append(">\n").append(entries);
                out.append("  </").append(s.getKey()).append(">\n");
            }
        }
        for (Map<String, String> cpu : sockets(NodeStats.read(CPUINFO))) {
            out.append("  <processor>\n");
            out.append("    <entry name='socket_destination'>")
                    .append(escape(cpu.get("physical id")))
                    .append("</entry>\n");
            out.append("    <entry name='manufacturer'>")
                    .append(escape(cpu.get("vendor_id")))
                    .append("</entry>\n");
            out.append("    <entry name='version'>")
                    .append(escape(cpu.get("model name")))
                    .append("</entry>\n");
            out.append("  </processor>\n");
        }
        return out.append("</sysinfo>\n").toString();
    }

    /** The first /proc/cpuinfo block of each physical package. */
    static List<Map<String, String>> sockets(String cpuinfo) {
        List<Map<String, String>> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String block : cpuinfo.split("\n\n")) {
            Map<String, String> kv = new LinkedHashMap<>();
            for (String line : block.lines().toList()) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    kv.put(
                            line.substring(0, colon).strip(),
                            line.substring(colon + 1).strip());
                }
            }
            if (kv.isEmpty()) {
                continue;
            }
            kv.putIfAbsent("physical id", "0");
            kv.putIfAbsent("vendor_id", "");
            kv.putIfAbsent("model name", "");
            if (!seen.contains(kv.get("physical id"))) {
                seen.add(kv.get("physical id"));
                out.add(kv);
            }
        }
        return out;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;");
    }

    /** Whether the host has DMI data at all (hosts without SMBIOS, e.g. some VMs, do not). */
    public static boolean hasDmi() {
        return Files.isDirectory(DMI);
    }
}
