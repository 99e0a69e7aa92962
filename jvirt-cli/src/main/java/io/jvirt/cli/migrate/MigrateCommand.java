package io.jvirt.cli.migrate;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainMigration;
import io.jvirt.api.DomainRef;
import io.jvirt.api.JobStatsFlags;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliCommand;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.DomainArg;
import io.jvirt.driver.EmbeddedConnectionDriver;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code migrate DOMAIN DESTURI [options]}: live (or offline) migration with virsh 11.3's options and checks
 * (see {@link MigrateOptionTable}, {@link MigrationPlan}). Without {@code --p2p}/{@code --direct} it opens the
 * destination itself and drives both hosts ({@link DomainMigration#migrate}); with them it hands the destination
 * URI to the source ({@link DomainMigration#migrateToUri}). The migration runs on a platform worker thread (the
 * driver may block in native reads) while the main thread watches it ({@link MigrationWatch}): {@code --verbose}
 * progress, {@code --timeout}, {@code --postcopy-after-precopy}, and Ctrl-C, which aborts the job. Like virsh it
 * prints nothing on stdout but the closing empty line; failures are the API's error alone.
 */
@Command(
        name = "migrate",
        description = "migrate a domain to another host",
        modelTransformer = MigrateOptionTable.class)
public final class MigrateCommand extends CliCommand {
    private static final int STATS_COMPLETED = JobStatsFlags.COMPLETED | JobStatsFlags.KEEP_COMPLETED;

    @Parameters(
            arity = "0..*",
            paramLabel = "<domain> <desturi>",
            description = "domain, destination URI, then --migrateuri, --graphicsuri, --listen-address, --dname, "
                    + "--timeout, --xml, --migrate-disks, --disks-port values not given by name")
    private List<String> positionals = new ArrayList<>();

    @Option(names = "--domain", paramLabel = "<string>", description = "domain name, id or uuid")
    private String domainOption;

    @Option(
            names = "--desturi",
            paramLabel = "<string>",
            description = "destination connection URI, as seen by this client (or by the source with --p2p)")
    private String destUriOption;

    private MigrateArgs args;

    @Override
    protected void checkArguments(CommandSpec spec) {
        Set<String> switches = new HashSet<>();
        for (MigrateOptionTable.Entry e : MigrateOptionTable.SWITCHES) {
            if (Boolean.TRUE.equals(option(spec, e.name()).getValue())) {
                switches.add(e.name());
            }
        }
        Map<String, String> values = new HashMap<>();
        putIfGiven(values, "domain", domainOption);
        putIfGiven(values, "desturi", destUriOption);
        for (MigrateOptionTable.Entry e : MigrateOptionTable.VALUES) {
            putIfGiven(values, e.name(), option(spec, e.name()).getValue());
        }
        fillFromPositionals(spec, values);
        for (String required : List.of("domain", "desturi")) {
            if (!values.containsKey(required)) {
                throw new ParameterException(
                        spec.commandLine(), "command '" + spec.name() + "' requires <" + required + "> option");
            }
        }
        args = new MigrateArgs(switches, values);
    }

    @Override
    protected void run(CliContext context) {
        MigrateChecks.combinations(args);
        Connection source = context.connection();
        DomainRef domain = DomainArg.lookup(source, args.value("domain"), EnumSet.allOf(DomainArg.By.class));
        WatchSettings settings = MigrateChecks.watchSettings(args);
        MigrateEnvironment env = MigrateEnvironment.current();
        Connection destination = null;
        try {
            boolean sourceDriven = args.has("p2p") || args.has("direct");
            if (!sourceDriven) {
                // Before opening it: the source's own root cannot be opened twice in this process.
                EmbeddedConnectionDriver.refuseMigrationToItself(source, args.value("desturi"));
                destination = env.destinations().apply(args.value("desturi"));
            }
            MigrationPlan plan = MigrationPlan.of(args);
            migrate(context, source, domain, destination, plan, settings, env.ticker());
        } finally {
            if (destination != null) {
                destination.close();
            }
        }
    }

    private static void migrate(
            CliContext context,
            Connection source,
            DomainRef domain,
            Connection destination,
            MigrationPlan plan,
            WatchSettings settings,
            Ticker ticker) {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        AtomicReference<DomainRef> arrived = new AtomicReference<>();
        MigrationWatch watch = new MigrationWatch(source, domain, settings, context.err(), ticker);
        Thread worker;
        // Ctrl-C is taken over before the job can start, so that it never kills a client whose job runs on.
        try (InterruptSignal.Handle _ = InterruptSignal.onInterrupt(watch::requestAbort)) {
            worker = Thread.ofPlatform().name("jvirt-migrate").start(() -> {
                try {
                    if (destination == null) {
                        DomainMigration.migrateToUri(source, domain, plan.destUri(), plan.params(), plan.flags());
                    } else {
                        arrived.set(DomainMigration.migrate(source, domain, destination, plan.params(), plan.flags()));
                    }
                } catch (RuntimeException e) {
                    failure.set(e);
                } finally {
                    done.countDown();
                }
            });
            watch.watch(done);
        }
        joinUninterruptibly(worker);
        if (failure.get() != null) {
            throw failure.get();
        }
        if (settings.verbose()) {
            watch.completed(
                    completedStats(source, domain, destination, arrived.get()).flatMap(MigrationStatusLine::summary));
        }
    }

    // The source keeps the completed job's statistics while it keeps the domain; a transient domain is gone
    // after success, and then the destination's record of the incoming job is the next best.
    private static Optional<List<TypedParam>> completedStats(
            Connection source, DomainRef domain, Connection destination, DomainRef arrived) {
        try {
            return Optional.of(source.jobStats(domain, STATS_COMPLETED));
        } catch (VirtException e) {
            if (destination == null || arrived == null) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(destination.jobStats(arrived, STATS_COMPLETED));
        } catch (VirtException e) {
            return Optional.empty();
        }
    }

    private static void joinUninterruptibly(Thread worker) {
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // As virsh: each positional argument fills the first positional option not given by name.
    private void fillFromPositionals(CommandSpec spec, Map<String, String> values) {
        List<String> slots = MigrateOptionTable.POSITIONAL;
        int slot = 0;
        for (String value : positionals) {
            while (slot < slots.size() && values.containsKey(slots.get(slot))) {
                slot++;
            }
            if (slot == slots.size()) {
                throw new ParameterException(spec.commandLine(), "unexpected data '" + value + "'");
            }
            values.put(slots.get(slot), value);
        }
    }

    private static OptionSpec option(CommandSpec spec, String name) {
        return spec.findOption("--" + name);
    }

    private static void putIfGiven(Map<String, String> values, String name, Object value) {
        if (value != null) {
            values.put(name, value.toString());
        }
    }
}
