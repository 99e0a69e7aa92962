package io.jvirt.cli.migrate;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import io.jvirt.cli.command.DomainCommand;
import io.jvirt.cli.command.RequiredArg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code migrate-setmaxdowntime DOMAIN DOWNTIME}: the longest pause, in ms, a live migration may cause when it
 * switches over; at least 1. Silent on success. Main thread.
 */
@Command(name = "migrate-setmaxdowntime", description = "set the maximum tolerable migration downtime (ms)")
public final class MigrateSetMaxDowntimeCommand extends DomainCommand {
    @Parameters(index = "1", arity = "0..1", paramLabel = "<downtime>", description = "maximum downtime in ms")
    private String downtimePositional;

    @Option(names = "--downtime", paramLabel = "<number>", description = "maximum downtime in ms")
    private String downtimeOption;

    @Override
    protected void checkArguments(CommandSpec spec) {
        super.checkArguments(spec);
        RequiredArg.require(spec, RequiredArg.either(downtimePositional, downtimeOption), "<downtime>");
    }

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        DomainRef ref = domain.lookup(connection);
        long millis = VirshNumbers.parseULongLong("downtime", RequiredArg.either(downtimePositional, downtimeOption));
        if (millis == 0) {
            throw new CliError("migrate: Invalid downtime");
        }
        connection.migrateSetMaxDowntime(ref, millis, 0);
    }
}
