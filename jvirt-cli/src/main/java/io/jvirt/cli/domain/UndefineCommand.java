package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import io.jvirt.cli.command.DomainCommand;
import picocli.CommandLine.Command;

/** {@code undefine DOMAIN}: removes a domain's persistent definition. Runs on the main thread. */
@Command(name = "undefine", description = "undefine a domain")
public final class UndefineCommand extends DomainCommand {
    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        DomainRef ref = domain.lookup(connection);
        try {
            connection.undefine(ref, 0);
        } catch (VirtException e) {
            throw new CliError("Failed to undefine domain '" + domain.text() + "'", e);
        }
        context.extra("Domain '" + domain.text() + "' has been undefined");
    }
}
