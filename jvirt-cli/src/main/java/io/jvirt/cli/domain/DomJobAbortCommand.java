package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.cli.CliContext;
import io.jvirt.cli.DomainCommand;
import picocli.CommandLine.Command;

/**
 * {@code domjobabort DOMAIN}: cancels the domain's running job. Silent on success; a failure is the driver's
 * error alone, as in virsh. Main thread.
 */
@Command(name = "domjobabort", description = "abort active domain job")
public final class DomJobAbortCommand extends DomainCommand {
    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        connection.abortJob(domain.lookup(connection));
    }
}
