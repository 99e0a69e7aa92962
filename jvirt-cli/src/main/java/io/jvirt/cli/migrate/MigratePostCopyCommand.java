package io.jvirt.cli.migrate;

import io.jvirt.api.Connection;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.DomainCommand;
import picocli.CommandLine.Command;

/**
 * {@code migrate-postcopy DOMAIN}: switches a migration started with {@code --postcopy} from pre-copy to post-copy.
 * Silent on success. Main thread.
 */
@Command(name = "migrate-postcopy", description = "switch a running migration from pre-copy to post-copy")
public final class MigratePostCopyCommand extends DomainCommand {
    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        connection.migrateStartPostCopy(domain.lookup(connection), 0);
    }
}
