package io.jvirt.driver.device;

import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.qmp.Monitor;
import java.util.List;
import java.util.Map;

/**
 * QEMU's block backends as {@code query-block} and {@code query-blockstats} list them, matched to a disk by its
 * alias: the entry's {@code qdev} is the device's id or QOM path ({@code /machine/peripheral/ALIAS/...}), or, for
 * a {@code -drive} disk, its {@code device} is {@code drive-ALIAS}.
 *
 * <p>Threading: the caller's thread; QEMU's replies are plain Java maps here, read once.
 */
final class BlockNodes {
    private BlockNodes() {}

    /** The entries of {@code query-block} or {@code query-blockstats}. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> query(DomainObj dom, Monitor monitor, String command) {
        Object reply = MonitorCalls.call(dom.name(), () -> monitor.execute(command, Map.of()))
                .get("return");
        return reply instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    /** The entry for the disk with {@code alias}, or null. */
    static Map<String, Object> entryFor(List<Map<String, Object>> entries, String alias) {
        for (Map<String, Object> e : entries) {
            if (matches(e, alias)) {
                return e;
            }
        }
        return null;
    }

    static boolean matches(Map<String, Object> entry, String alias) {
        String peripheral = "/machine/peripheral/" + alias;
        return entry.get("qdev") instanceof String qdev
                        && (qdev.equals(alias) || qdev.equals(peripheral) || qdev.startsWith(peripheral + "/"))
                || ("drive-" + alias).equals(entry.get("device"));
    }

    /**
     * The named block nodes under the disk with {@code alias} that must be deleted after it is unplugged: its
     * format node, and the storage node beside it when the names follow libvirt's {@code -format}/{@code -storage}
     * pairing. A {@code -drive} disk's nodes have generated names ({@code #block123}) and go with the drive.
     */
    static List<String> of(DomainObj dom, Monitor monitor, String alias) {
        Map<String, Object> entry = entryFor(query(dom, monitor, "query-block"), alias);
        if (entry == null
                || !(entry.get("inserted") instanceof Map<?, ?> inserted)
                || !(inserted.get("node-name") instanceof String top)
                || top.startsWith("#")) {
            return List.of();
        }
        if (top.endsWith("-format")) {
            return List.of(top, top.substring(0, top.length() - "-format".length()) + "-storage");
        }
        return List.of(top);
    }

    /** A number member of a reply map, or {@code fallback}. */
    static long number(Object map, String key, long fallback) {
        return map instanceof Map<?, ?> m && m.get(key) instanceof Number n ? n.longValue() : fallback;
    }
}
