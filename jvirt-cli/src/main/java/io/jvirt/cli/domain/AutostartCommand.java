package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import io.jvirt.cli.command.DomainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code autostart DOMAIN [--disable]}: marks a domain to start with the host, or unmarks it. Main thread. */
@Command(name = "autostart", description = "autostart a domain")
public final class AutostartCommand extends DomainCommand {
    @Option(names = "--disable", description = "disable autostarting")
    private boolean disable;

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        DomainRef ref = domain.lookup(connection);
        String name = domain.text();
        try {
            connection.setAutostart(ref, !disable);
        } catch (VirtException e) {
            throw new CliError(
                    disable
                            ? "Failed to unmark domain '" + name + "' as autostarted"
                            : "Failed to mark domain '" + name + "' as autostarted",
                    e);
        }
        context.extra(
                disable
                        ? "Domain '" + name + "' unmarked as autostarted"
                        : "Domain '" + name + "' marked as autostarted");
    }
}
