package io.jvirt.daemon.observe;

import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainEventListener;
import io.jvirt.api.JobOperation;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.TypedParam;
import io.jvirt.rpc.proto.MigrationV2Wire.Finish2Args;
import io.jvirt.rpc.proto.MigrationV2Wire.PerformArgs;
import io.jvirt.rpc.proto.MigrationWire.Confirm3ParamsArgs;
import io.jvirt.rpc.proto.MigrationWire.Finish3ParamsArgs;
import io.jvirt.rpc.proto.MigrationWire.Perform3ParamsArgs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Follows the migrations this daemon serves from its calls: which migration protocol call starts one, which ends it
 * and how (libvirt's phases: Begin3 to Confirm3 on a source a client drives, one Perform3 with the peer-to-peer flag,
 * Prepare to Finish on a destination). It writes one INFO line per phase call (domain, peer, time taken, result)
 * and keeps the migration meters; the downtime and bytes come from the driver's job-completed event, which carries
 * the finished job's statistics.
 *
 * <p>Threading: the observer methods run on call threads, {@link #onEvent} on the driver's event thread; the state is
 * in concurrent maps.
 */
public final class MigrationTracker implements CallObserver, DomainEventListener {
    private static final System.Logger LOG = System.getLogger("io.jvirt.daemon.migration");
    /** How many finished migrations are remembered for a job-completed event that comes after the call's answer. */
    private static final int RECENT = 64;

    private final MeterRegistry registry;
    private final Map<String, Running> inFlight = new ConcurrentHashMap<>();
    private final Map<MigrationMode, AtomicInteger> inFlightByMode = new EnumMap<>(MigrationMode.class);
    private final Map<String, MigrationMode> recent = new LinkedHashMap<>();

    private record Running(MigrationMode mode, long startNanos) {}

    public MigrationTracker(MeterRegistry registry) {
        this.registry = registry;
        for (MigrationMode m : MigrationMode.values()) {
            AtomicInteger n = new AtomicInteger();
            inFlightByMode.put(m, n);
            Gauge.builder("jvirt.migrations.in.flight", n, AtomicInteger::get)
                    .description("Migrations under way")
                    .tag("mode", m.label())
                    .register(registry);
        }
    }

    @Override
    public void started(String procedure, Object args, String domain) {
        if (domain == null) {
            return;
        }
        switch (procedure) {
            case "DOMAIN_MIGRATE_BEGIN3_PARAMS" -> begin(domain, MigrationMode.CLIENT_MANAGED);
            case "DOMAIN_MIGRATE_PREPARE3_PARAMS",
                    "DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS",
                    "DOMAIN_MIGRATE_PREPARE2",
                    "DOMAIN_MIGRATE_PREPARE_TUNNEL" -> begin(domain, MigrationMode.INCOMING);
            case "DOMAIN_MIGRATE_PERFORM3_PARAMS" -> begin(domain, sourceMode(((Perform3ParamsArgs) args).flags()));
            case "DOMAIN_MIGRATE_PERFORM" -> begin(domain, sourceMode(((PerformArgs) args).flags()));
            default -> {}
        }
    }

    @Override
    public void finished(String procedure, Object args, String domain, int errorCode, long nanos) {
        if (domain == null || !procedure.startsWith("DOMAIN_MIGRATE_") || args == null) {
            return;
        }
        boolean ok = errorCode == 0;
        String phase = procedure.substring("DOMAIN_MIGRATE_".length()).toLowerCase(java.util.Locale.ROOT);
        switch (procedure) {
            case "DOMAIN_MIGRATE_BEGIN3_PARAMS",
                    "DOMAIN_MIGRATE_PREPARE3_PARAMS",
                    "DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS",
                    "DOMAIN_MIGRATE_PREPARE2",
                    "DOMAIN_MIGRATE_PREPARE_TUNNEL" -> {
                logPhase(domain, phase, "-", ok, errorCode, nanos);
                if (!ok) {
                    end(domain, "failed");
                }
            }
            case "DOMAIN_MIGRATE_PERFORM3_PARAMS" -> {
                Perform3ParamsArgs a = (Perform3ParamsArgs) args;
                logPhase(domain, phase, peer(a.dconnuri(), a.params()), ok, errorCode, nanos);
                if (isPeerToPeer(a.flags()) || !ok) {
                    end(domain, ok ? "completed" : "failed");
                }
            }
            case "DOMAIN_MIGRATE_PERFORM" -> {
                PerformArgs a = (PerformArgs) args;
                logPhase(domain, phase, a.uri() == null ? "-" : a.uri(), ok, errorCode, nanos);
                // v2 without the peer-to-peer flag has no confirm: the perform call is the whole source side.
                end(domain, ok ? "completed" : "failed");
            }
            case "DOMAIN_MIGRATE_CONFIRM3_PARAMS" -> {
                logPhase(domain, phase, "-", ok, errorCode, nanos);
                end(domain, ((Confirm3ParamsArgs) args).cancelled() != 0 ? "cancelled" : ok ? "completed" : "failed");
            }
            case "DOMAIN_MIGRATE_FINISH3_PARAMS" -> {
                logPhase(domain, phase, "-", ok, errorCode, nanos);
                end(domain, ((Finish3ParamsArgs) args).cancelled() != 0 ? "cancelled" : ok ? "completed" : "failed");
            }
            case "DOMAIN_MIGRATE_FINISH2" -> {
                logPhase(domain, phase, "-", ok, errorCode, nanos);
                end(domain, ((Finish2Args) args).retcode() != 0 ? "cancelled" : ok ? "completed" : "failed");
            }
            default -> {}
        }
    }

    /** The finished job's statistics: downtime and bytes moved, under the mode of the migration they close. */
    @Override
    public void onEvent(DomainEvent event) {
        if (!(event instanceof DomainEvent.JobCompleted done)) {
            return;
        }
        Optional<MigrationMode> mode = modeOf(done.domain().name(), done.stats());
        if (mode.isEmpty()) {
            return; // a save or dump job, not a migration
        }
        Timer.builder("jvirt.migration.downtime")
                .description("Downtime of completed migrations, from the finished job's statistics")
                .tag("mode", mode.get().label())
                .register(registry)
                .record(Duration.ofMillis(number(done.stats(), "downtime")));
        DistributionSummary.builder("jvirt.migration.transferred")
                .description("Bytes moved by completed migrations (memory and storage)")
                .baseUnit("bytes")
                .tag("mode", mode.get().label())
                .register(registry)
                .record((double) number(done.stats(), "data_processed"));
    }

    private void begin(String domain, MigrationMode mode) {
        Running previous = inFlight.putIfAbsent(domain, new Running(mode, System.nanoTime()));
        if (previous == null) {
            inFlightByMode.get(mode).incrementAndGet();
        }
    }

    private void end(String domain, String outcome) {
        Running r = inFlight.remove(domain);
        if (r == null) {
            return;
        }
        inFlightByMode.get(r.mode()).decrementAndGet();
        long took = System.nanoTime() - r.startNanos();
        synchronized (recent) {
            recent.put(domain, r.mode());
            if (recent.size() > RECENT) {
                recent.remove(recent.keySet().iterator().next());
            }
        }
        Counter.builder("jvirt.migrations")
                .description("Migrations by mode and outcome")
                .tag("mode", r.mode().label())
                .tag("outcome", outcome)
                .register(registry)
                .increment();
        Timer.builder("jvirt.migration.duration")
                .description("How long migrations took, first phase to last")
                .tag("mode", r.mode().label())
                .tag("outcome", outcome)
                .register(registry)
                .record(Duration.ofNanos(took));
        LOG.log(
                System.Logger.Level.INFO,
                "migration of {0} ({1}) {2} after {3} ms",
                domain,
                r.mode().label(),
                outcome,
                Long.toString(took / 1_000_000));
    }

    /** The mode of the migration a job-completed event closes; empty when the job was no migration. */
    private Optional<MigrationMode> modeOf(String domain, List<TypedParam> stats) {
        Running r = inFlight.get(domain);
        if (r != null) {
            return Optional.of(r.mode());
        }
        synchronized (recent) {
            MigrationMode m = recent.get(domain);
            if (m != null) {
                return Optional.of(m);
            }
        }
        long op = number(stats, "operation");
        if (op == JobOperation.MIGRATION_IN.wire()) {
            return Optional.of(MigrationMode.INCOMING);
        }
        return op == JobOperation.MIGRATION_OUT.wire() ? Optional.of(MigrationMode.P2P) : Optional.empty();
    }

    private static void logPhase(String domain, String phase, String peer, boolean ok, int errorCode, long nanos) {
        LOG.log(
                ok ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                "migration of {0}: {1} peer={2} took {3} ms, {4}",
                domain,
                phase,
                peer,
                Long.toString(nanos / 1_000_000),
                ok ? "ok" : "error " + errorCode);
    }

    private static MigrationMode sourceMode(long flags) {
        if (!isPeerToPeer(flags)) {
            return MigrationMode.CLIENT_MANAGED;
        }
        return (flags & MigrateFlags.TUNNELLED) != 0 ? MigrationMode.TUNNELLED : MigrationMode.P2P;
    }

    private static boolean isPeerToPeer(long flags) {
        return (flags & MigrateFlags.PEER2PEER) != 0;
    }

    /** The destination: the connection URI of a peer-to-peer migration, else the migration URI, if given. */
    private static String peer(String dconnuri, List<TypedParam> params) {
        if (dconnuri != null) {
            return dconnuri;
        }
        return TypedParam.find(params, MigrateParams.URI).map(Object::toString).orElse("-");
    }

    private static long number(List<TypedParam> stats, String field) {
        return TypedParam.find(stats, field)
                .filter(Number.class::isInstance)
                .map(v -> ((Number) v).longValue())
                .orElse(0L);
    }
}
