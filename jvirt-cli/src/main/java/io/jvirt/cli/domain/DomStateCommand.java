package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainStatus;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.DomainCommand;
import io.jvirt.cli.command.VirshFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code domstate DOMAIN [--reason]}: "running", or with the reason "running (booted)". Main thread. */
@Command(name = "domstate", description = "domain state")
public final class DomStateCommand extends DomainCommand {
    @Option(names = "--reason", description = "also print reason for the state")
    private boolean reason;

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        DomainStatus status = connection.state(domain.lookup(connection));
        context.out()
                .println(reason ? VirshFormat.stateWithReason(status.reason()) : VirshFormat.state(status.state()));
    }
}
