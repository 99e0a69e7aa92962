package io.jvirt.cli.domain;

import io.jvirt.api.AbortJobFlags;
import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.DomainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code domjobabort DOMAIN [--postcopy]}: cancels the domain's running job; {@code --postcopy} interrupts a
 * migration already in post-copy (which a plain abort refuses). As virsh, the plain form uses the call without
 * flags. Silent on success; a failure is the driver's error alone. Main thread.
 */
@Command(name = "domjobabort", description = "abort active domain job")
public final class DomJobAbortCommand extends DomainCommand {
    @Option(names = "--postcopy", description = "interrupt post-copy migration")
    private boolean postcopy;

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        DomainRef ref = domain.lookup(connection);
        if (postcopy) {
            connection.abortJob(ref, AbortJobFlags.POSTCOPY);
        } else {
            connection.abortJob(ref);
        }
    }
}
