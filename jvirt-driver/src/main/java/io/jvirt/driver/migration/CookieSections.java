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
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

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

    /**
     * A source's capabilities section (Begin): every migration capability its QEMU supports, {@code auto} on those
     * of {@code automatic}, which it will switch on whenever the destination does too.
     */
    static List<CookieCapability> offered(Monitor monitor, String name, Set<String> automatic) {
        Map<String, Boolean> caps = MonitorCalls.call(name, monitor::queryMigrateCapabilities);
        List<CookieCapability> out = new ArrayList<>();
        caps.keySet().forEach(cap -> out.add(new CookieCapability(cap, automatic.contains(cap))));
        return out;
    }

    /**
     * A destination's capabilities section (Prepare, after its QEMU was set up): every capability its QEMU supports,
     * {@code auto} on those it switched on by itself, so that the source switches them on too, and only then.
     */
    static List<CookieCapability> switchedOn(Monitor monitor, String name) {
        Map<String, Boolean> caps = MonitorCalls.call(name, monitor::queryMigrateCapabilities);
        Set<String> byItself = QemuMigrationSettings.alwaysOnCandidates(MigrationOptions.Side.DESTINATION);
        List<CookieCapability> out = new ArrayList<>();
        caps.forEach((cap, on) -> out.add(new CookieCapability(cap, on && byItself.contains(cap))));
        return out;
    }

    /** What a destination goes by: every capability the source's cookie lists (none when it has no section). */
    static Set<String> listed(MigrationCookie source) {
        return source.capabilities() == null
                ? Set.of()
                : source.capabilities().stream().map(CookieCapability::name).collect(Collectors.toSet());
    }

    /**
     * What a source goes by: the capabilities the destination's cookie says it switched on by itself. A source that
     * switched on {@code switchover-ack} while the destination had not would wait for an acknowledgement that never
     * comes, so only the destination's word counts.
     */
    static Set<String> automatic(MigrationCookie destination) {
        return destination.capabilities() == null
                ? Set.of()
                : destination.capabilities().stream()
                        .filter(CookieCapability::auto)
                        .map(CookieCapability::name)
                        .collect(Collectors.toSet());
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
