package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import io.jvirt.cli.command.DomainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code shutdown DOMAIN [--timeout SECONDS]}: asks the guest to power off and, like virsh, returns at once.
 * {@code --timeout} is jvirt's own: it then waits until the domain is shut off and fails with the driver's
 * {@code Timed out during operation} error if it is still running when the time is up. Runs on the main thread.
 */
@Command(name = "shutdown", description = "gracefully shut down a domain (ACPI power button)")
public final class ShutdownCommand extends DomainCommand {
    @Option(
            names = "--timeout",
            paramLabel = "<seconds>",
            description = "jvirt extension: wait up to this many seconds for the domain to shut off")
    private Long timeoutSeconds;

    @Override
    protected void checkArguments(CommandSpec spec) {
        super.checkArguments(spec);
        if (timeoutSeconds != null && timeoutSeconds < 0) {
            throw new ParameterException(spec.commandLine(), "Invalid value for timeout: " + timeoutSeconds);
        }
    }

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        DomainRef ref = domain.lookup(connection);
        try {
            connection.shutdown(ref, 0);
        } catch (VirtException e) {
            throw new CliError("Failed to shutdown domain '" + domain.text() + "'", e);
        }
        context.extra("Domain '" + domain.text() + "' is being shutdown");
        if (timeoutSeconds != null) {
            connection.awaitShutoff(ref, Math.multiplyExact(timeoutSeconds, 1000L));
        }
    }
}
