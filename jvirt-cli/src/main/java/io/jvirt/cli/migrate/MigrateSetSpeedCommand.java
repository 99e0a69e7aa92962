package io.jvirt.cli.migrate;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.MigrateSpeedFlags;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.DomainCommand;
import io.jvirt.cli.command.RequiredArg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code migrate-setspeed DOMAIN BANDWIDTH [--postcopy]}: the migration bandwidth limit in MiB/s, also while a
 * migration runs. As in virsh the value wraps like C's {@code strtoul}, so {@code -1} asks for the largest. Silent
 * on success. Main thread.
 */
@Command(name = "migrate-setspeed", description = "set the maximum migration bandwidth (MiB/s)")
public final class MigrateSetSpeedCommand extends DomainCommand {
    @Parameters(index = "1", arity = "0..1", paramLabel = "<bandwidth>", description = "bandwidth limit in MiB/s")
    private String bandwidthPositional;

    @Option(names = "--bandwidth", paramLabel = "<number>", description = "bandwidth limit in MiB/s")
    private String bandwidthOption;

    @Option(names = "--postcopy", description = "set the limit of the post-copy phase")
    private boolean postcopy;

    @Override
    protected void checkArguments(CommandSpec spec) {
        super.checkArguments(spec);
        RequiredArg.require(spec, RequiredArg.either(bandwidthPositional, bandwidthOption), "<bandwidth>");
    }

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        DomainRef ref = domain.lookup(connection);
        long mib = VirshNumbers.parseULongWrap("bandwidth", RequiredArg.either(bandwidthPositional, bandwidthOption));
        connection.migrateSetMaxSpeed(ref, mib, postcopy ? MigrateSpeedFlags.POSTCOPY : 0);
    }
}
