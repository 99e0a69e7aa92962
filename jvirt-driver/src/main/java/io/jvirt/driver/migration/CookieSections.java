package io.jvirt.driver.migration;

import io.jvirt.api.TypedParam;
import io.jvirt.driver.lifecycle.DriverContext;
import io.jvirt.driver.migration.cookie.CookieCapability;
import io.jvirt.driver.migration.cookie.CookieStatistics;
import io.jvirt.driver.migration.cookie.MigrationCookie;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.driver.root.HostFacts;
import io.jvirt.qmp.Monitor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The cookie sections this host fills in from its own state, on either side: who we are, what QEMU can do, and
 * the statistics of the job that just completed.
 *
 * <p>Threading: called on the phase's API thread.
 */
final class CookieSections {
    private CookieSections() {}

    /** A cookie naming the domain and this host. */
    static MigrationCookie identity(DriverContext ctx, String name, UUID uuid) {
        return MigrationCookie.of(name, uuid, HostFacts.hostname(), ctx.hostUuid());
    }

    /** The migration capabilities QEMU supports, for the cookie's capabilities section. */
    static List<CookieCapability> capabilities(Monitor monitor, String name) {
        Map<String, Boolean> caps = MonitorCalls.call(name, monitor::queryMigrateCapabilities);
        List<CookieCapability> out = new ArrayList<>();
        for (String cap : caps.keySet()) {
            out.add(new CookieCapability(cap, false));
        }
        return out;
    }

    /** The completed job's statistics for the cookie's statistics section. */
    static CookieStatistics statistics(MigrationJob job, List<TypedParam> completed) {
        Map<String, Long> values = new LinkedHashMap<>();
        if (completed != null) {
            for (TypedParam p : completed) {
                if (CookieStatistics.NAMES.contains(p.field()) && p.value() instanceof Number n) {
                    values.put(p.field(), n.longValue());
                }
            }
        }
        long now = System.currentTimeMillis();
        return new CookieStatistics(job.startedMillis(), now, now, null, values);
    }
}
