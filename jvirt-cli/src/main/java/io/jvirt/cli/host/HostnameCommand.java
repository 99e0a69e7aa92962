package io.jvirt.cli.host;

import io.jvirt.cli.command.CliCommand;
import io.jvirt.cli.command.CliContext;
import picocli.CommandLine.Command;

/** {@code hostname}: the hypervisor host's name. Runs on the main thread. */
@Command(name = "hostname", description = "print the hypervisor hostname")
public final class HostnameCommand extends CliCommand {
    @Override
    protected void run(CliContext context) {
        context.out().println(context.connection().hostname());
    }
}
