package io.jvirt.cli.migrate;

import io.jvirt.api.Connection;
import io.jvirt.api.MigrateSpeedFlags;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.DomainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code migrate-getspeed DOMAIN [--postcopy]}: prints the migration bandwidth limit in MiB/s. Main thread. */
@Command(name = "migrate-getspeed", description = "print the maximum migration bandwidth (MiB/s)")
public final class MigrateGetSpeedCommand extends DomainCommand {
    @Option(names = "--postcopy", description = "print the limit of the post-copy phase")
    private boolean postcopy;

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        long mib = connection.migrateGetMaxSpeed(domain.lookup(connection), postcopy ? MigrateSpeedFlags.POSTCOPY : 0);
        context.out().println(Long.toUnsignedString(mib));
    }
}
