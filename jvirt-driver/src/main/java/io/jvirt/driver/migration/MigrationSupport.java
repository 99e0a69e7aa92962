package io.jvirt.driver.migration;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.lifecycle.DriverContext;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.driver.root.HostFacts;
import io.jvirt.qmp.MigrationStats;
import io.jvirt.qmp.Monitor;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The steps both sides of a migration share: the cookie's identity, phase changes written to the status file,
 * QEMU's settings and their restoration, and the wait for QEMU's migration to end.
 *
 * <p>Threading: called on the phase's API thread.
 */
final class MigrationSupport {
    private static final Logger LOG = System.getLogger(MigrationSupport.class.getName());
    private static final long RECHECK_MILLIS = 1_000;
    private static final long SETTLE_MILLIS = 30_000;
    /** QEMU's status when a post-copy migration lost its connection: neither side has the whole guest. */
    static final String POSTCOPY_PAUSED = "postcopy-paused";

    private MigrationSupport() {
    }

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

    /** Moves the job to {@code phase} and writes it into the status file. */
    static void enter(DriverContext ctx, DomainObj dom, MigrationJob job, MigrationPhase phase) {
        job.enter(phase);
        ctx.saveStatus(dom);
    }

    /** Ends the job and writes the status file without it. */
    static void end(DriverContext ctx, DomainObj dom, MigrationJob job) {
        dom.endAsyncJob(job);
        ctx.saveStatus(dom);
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

    /** The host part of a migration URI ({@code tcp:HOST:PORT}, {@code tcp://HOST:PORT}, {@code tcp:[v6]:PORT}). */
    static String uriHost(String uri) {
        String rest = uri.substring(uri.indexOf(':') + 1);
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            return close > 0 ? rest.substring(1, close) : rest;
        }
        int colon = rest.lastIndexOf(':');
        String host = colon > 0 ? rest.substring(0, colon) : rest;
        int slash = host.indexOf('/');
        return slash >= 0 ? host.substring(0, slash) : host;
    }

    /** The port of a migration URI, or 0 when it names none. */
    static int uriPort(String uri) {
        int colon = uri.lastIndexOf(':');
        int bracket = uri.lastIndexOf(']');
        if (colon < 0 || colon < bracket || colon == uri.indexOf(':')) {
            return 0;
        }
        String digits = uri.substring(colon + 1).replaceAll("/.*$", "");
        try {
            int port = Integer.parseInt(digits);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "invalid port in migration URI '" + uri + "'");
        }
    }

    /**
     * Saves QEMU's parameters as they are, then sets the capabilities and parameters this migration needs,
     * max-bandwidth always (QEMU's own default would cap the migration at 128 MiB/s).
     */
    static void configure(Monitor monitor, String name, MigrationJob job, MigrationOptions options,
                          MigrationOptions.Side side, long maxSpeedMiBps) {
        job.attach(monitor);
        Map<String, Object> originals = MonitorCalls.call(name, monitor::queryMigrateParameters).raw();
        job.setOriginalParams(originals);
        Map<String, Boolean> supported = MonitorCalls.call(name, monitor::queryMigrateCapabilities);
        QemuMigrationSettings settings = QemuMigrationSettings.of(options, side, maxSpeedMiBps);
        settings.requireSupported(supported);
        MonitorCalls.run(name, () -> monitor.setMigrateCapabilities(settings.capabilities(supported)));
        MonitorCalls.run(name, () -> monitor.setMigrateParameters(settings.parameters()));
    }

    /** Puts QEMU's migration capabilities and parameters back as they were before {@link #configure}. */
    static void restore(Monitor monitor, String name, MigrationJob job) {
        try {
            Map<String, Boolean> supported = monitor.queryMigrateCapabilities();
            monitor.setMigrateCapabilities(QemuMigrationSettings.reset(supported));
            Map<String, Object> originals = job.originalParams();
            if (originals != null) {
                monitor.setMigrateParameters(QemuMigrationSettings.restorable(originals));
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "domain " + name + ": cannot reset migration settings: " + e.getMessage());
        }
    }

    /**
     * Waits for QEMU's migration to end, or to reach one of {@code alsoStopAt}. A failure becomes libvirt's
     * error for the job: "job 'migration out' failed: …", "… canceled by client", or the run's end.
     */
    static String await(QemuRun run, MigrationJob job, Set<String> alsoStopAt, String jobName, boolean abortable) {
        return await(run, job, alsoStopAt, jobName, abortable, () -> null);
    }

    /**
     * As above, also giving up when {@code lost} names an error (the peer-to-peer destination went away): that
     * error is thrown unless QEMU completed meanwhile.
     */
    static String await(QemuRun run, MigrationJob job, Set<String> alsoStopAt, String jobName, boolean abortable,
                        java.util.function.Supplier<VirtException> lost) {
        String end;
        try {
            end = run.awaitMigrationStatus(alsoStopAt,
                    () -> (abortable && job.abortRequested()) || lost.get() != null, RECHECK_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted waiting for " + jobName);
        }
        VirtException gone = "completed".equals(end) ? null : lost.get();
        if (gone != null && !(abortable && job.abortRequested())) {
            throw gone;
        }
        if (abortable && job.abortRequested() && !"completed".equals(end)) {
            throw aborted(jobName);
        }
        return switch (end) {
            case "completed" -> end;
            case "cancelled", "abandoned" -> throw aborted(jobName);
            case "ended" -> throw VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                    "job '" + jobName + "' failed: QEMU exited (domain is not running)");
            case "failed" -> throw VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                    "job '" + jobName + "' failed: " + errorDescription(job));
            case POSTCOPY_PAUSED -> throw VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                    "job '" + jobName + "' failed in post-copy phase");
            default -> end;
        };
    }

    private static String errorDescription(MigrationJob job) {
        Monitor monitor = job.monitor();
        if (monitor != null) {
            try {
                MigrationStats stats = monitor.queryMigrate();
                if (stats.errorDesc() != null) {
                    return stats.errorDesc();
                }
            } catch (IOException e) {
                return e.getMessage();
            }
        }
        return "unexpectedly failed";
    }

    static VirtException aborted(String jobName) {
        return VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "job '" + jobName + "' canceled by client");
    }

    /** Cancels a migration QEMU still runs and waits (bounded) until QEMU says it has stopped. */
    static void cancelAndSettle(QemuRun run, String name) {
        String status = run.migrationStatus();
        if ("none".equals(status) || isFinal(status)) {
            return;
        }
        try {
            run.monitor().migrateCancel();
            long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
            String end = run.awaitMigrationStatus(Set.of(), () -> System.nanoTime() > deadline, RECHECK_MILLIS);
            LOG.log(Level.DEBUG, "domain {0}: migration settled as {1}", name, end);
        } catch (IOException | VirtException e) {
            LOG.log(Level.WARNING, "domain " + name + ": cannot cancel its migration: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isFinal(String status) {
        return "completed".equals(status) || "failed".equals(status) || "cancelled".equals(status);
    }

    /** Removes a migrated-away domain's persistent definition (UNDEFINE_SOURCE). */
    static void undefine(DriverContext ctx, DomainObj dom) {
        if (dom.isPersistent()) {
            ctx.forgetDefinition(dom);
        }
    }
}
