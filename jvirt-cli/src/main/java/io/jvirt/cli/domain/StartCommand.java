package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.CreateFlags;
import io.jvirt.api.DomainRef;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import io.jvirt.cli.command.DomainArg;
import io.jvirt.cli.command.DomainCommand;
import java.util.EnumSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code start DOMAIN [--paused]}: boots a defined, inactive domain. As in virsh it is named by name or UUID
 * only (an inactive domain has no id) and messages use its real name. Runs on the main thread.
 */
@Command(name = "start", description = "start a (previously defined) inactive domain")
public final class StartCommand extends DomainCommand {
    @Option(names = "--paused", description = "leave the guest paused after creation")
    private boolean paused;

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        DomainRef ref = domain.lookup(connection, EnumSet.of(DomainArg.By.UUID, DomainArg.By.NAME));
        if (ref.isActive()) {
            throw new CliError("Domain is already active");
        }
        try {
            connection.create(ref, paused ? CreateFlags.START_PAUSED : 0);
        } catch (VirtException e) {
            throw new CliError("Failed to start domain '" + ref.name() + "'", e);
        }
        context.extra("Domain '" + ref.name() + "' started");
    }
}
