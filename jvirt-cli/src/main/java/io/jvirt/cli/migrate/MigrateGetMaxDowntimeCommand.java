package io.jvirt.cli.migrate;

import io.jvirt.api.Connection;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.DomainCommand;
import picocli.CommandLine.Command;

/** {@code migrate-getmaxdowntime DOMAIN}: prints the maximum tolerable migration downtime in ms. Main thread. */
@Command(name = "migrate-getmaxdowntime", description = "print the maximum tolerable migration downtime (ms)")
public final class MigrateGetMaxDowntimeCommand extends DomainCommand {
    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        long millis = connection.migrateGetMaxDowntime(domain.lookup(connection), 0);
        context.out().println(Long.toUnsignedString(millis));
    }
}
