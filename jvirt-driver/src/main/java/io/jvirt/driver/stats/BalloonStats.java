package io.jvirt.driver.stats;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.MemoryStat;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.config.MemballoonDef;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.process.MonitorCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A running domain's memory statistics as libvirt's QEMU driver gathers them: the balloon's size from
 * {@code query-balloon} (the configured memory when there is no balloon), the guest's own counters from the
 * balloon's {@code guest-stats} property (those the guest driver reported, once a polling period is set), then the
 * QEMU process's resident size.
 *
 * <p>Threading: the caller's thread, inside a query job of the domain.
 */
final class BalloonStats {
    /** {@code guest-stats} members and the tag each becomes; bytes become KiB, the fault counts stay counts. */
    private static final List<Object[]> GUEST = List.of(
            new Object[] {"stat-swap-in", MemoryStat.SWAP_IN, true},
            new Object[] {"stat-swap-out", MemoryStat.SWAP_OUT, true},
            new Object[] {"stat-major-faults", MemoryStat.MAJOR_FAULT, false},
            new Object[] {"stat-minor-faults", MemoryStat.MINOR_FAULT, false},
            new Object[] {"stat-free-memory", MemoryStat.UNUSED, true},
            new Object[] {"stat-total-memory", MemoryStat.AVAILABLE, true},
            new Object[] {"stat-available-memory", MemoryStat.USABLE, true},
            new Object[] {"stat-disk-caches", MemoryStat.DISK_CACHES, true},
            new Object[] {"stat-htlb-pgalloc", MemoryStat.HUGETLB_PGALLOC, false},
            new Object[] {"stat-htlb-pgfail", MemoryStat.HUGETLB_PGFAIL, false});

    /** The QOM property that sets the guest's polling period in seconds. */
    static final String POLLING_INTERVAL = "guest-stats-polling-interval";

    private BalloonStats() {}

    static List<MemoryStat> of(DomainObj dom, QemuRun run) {
        DomainDef live = dom.liveDef();
        MemballoonDef balloon = virtioBalloon(live);
        List<MemoryStat> out = new ArrayList<>();
        long actualKiB = live.currentMemoryKiB();
        if (balloon != null) {
            Object reply = MonitorCalls.call(dom.name(), () -> run.monitor().execute("query-balloon", Map.of()))
                    .get("return");
            if (reply instanceof Map<?, ?> m && m.get("actual") instanceof Number n) {
                actualKiB = n.longValue() / 1024;
            }
        }
        out.add(new MemoryStat(MemoryStat.ACTUAL_BALLOON, actualKiB));
        if (balloon != null && balloon.alias() != null) {
            Object reply = MonitorCalls.call(
                            dom.name(),
                            () -> run.monitor()
                                    .execute("qom-get", Map.of("path", qomPath(balloon), "property", "guest-stats")))
                    .get("return");
            if (reply instanceof Map<?, ?> guest && guest.get("stats") instanceof Map<?, ?> stats) {
                for (Object[] g : GUEST) {
                    if (stats.get(g[0]) instanceof Number n && n.longValue() >= 0) {
                        long v = n.longValue();
                        out.add(new MemoryStat((Integer) g[1], (Boolean) g[2] ? v / 1024 : v));
                    }
                }
                if (guest.get("last-update") instanceof Number n) {
                    out.add(new MemoryStat(MemoryStat.LAST_UPDATE, n.longValue()));
                }
            }
        }
        out.add(new MemoryStat(MemoryStat.RSS, rssKiB(run.pid())));
        return out;
    }

    /** Sets how often the guest refreshes its counters ({@code guest-stats-polling-interval}); 0 stops it. */
    static void setPeriod(DomainObj dom, QemuRun run, int seconds) {
        MemballoonDef balloon = virtioBalloon(dom.liveDef());
        if (balloon == null || balloon.alias() == null) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID,
                    ErrorDomain.QEMU,
                    "No memory balloon device configured, can not set the collection period");
        }
        MonitorCalls.run(
                dom.name(),
                () -> run.monitor()
                        .execute(
                                "qom-set",
                                Map.of("path", qomPath(balloon), "property", POLLING_INTERVAL, "value", seconds)));
    }

    static MemballoonDef virtioBalloon(DomainDef def) {
        return def.memballoon().filter(b -> "virtio".equals(b.model())).orElse(null);
    }

    private static String qomPath(MemballoonDef balloon) {
        return "/machine/peripheral/" + balloon.alias();
    }

    /** {@code VmRSS} of the QEMU process, KiB; 0 if it is gone. */
    static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
