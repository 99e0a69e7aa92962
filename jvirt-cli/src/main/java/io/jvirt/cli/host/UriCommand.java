package io.jvirt.cli.host;

import io.jvirt.cli.command.CliCommand;
import io.jvirt.cli.command.CliContext;
import picocli.CommandLine.Command;

/** {@code uri}: the connection's canonical URI. Runs on the main thread. */
@Command(name = "uri", description = "print the hypervisor canonical URI")
public final class UriCommand extends CliCommand {
    @Override
    protected void run(CliContext context) {
        context.out().println(context.connection().uri());
    }
}
