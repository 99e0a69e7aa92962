package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import io.jvirt.cli.command.DomainCommand;
import picocli.CommandLine.Command;

/**
 * {@code managedsave-remove DOMAIN}: deletes the domain's managed save image, or says there is none. virsh
 * leaves both messages to be ended by the command's closing empty line, so they are printed unterminated.
 * Main thread.
 */
@Command(name = "managedsave-remove", description = "Remove managed save of a domain")
public final class ManagedSaveRemoveCommand extends DomainCommand {
    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        DomainRef ref = domain.lookup(connection);
        String name = domain.text();
        boolean present;
        try {
            present = connection.hasManagedSaveImage(ref);
        } catch (VirtException e) {
            throw new CliError("Failed to check for domain managed save image", e);
        }
        if (!present) {
            context.extraUnterminated("Domain '" + name + "' has no manage save image; removal skipped");
            return;
        }
        try {
            connection.managedSaveRemove(ref);
        } catch (VirtException e) {
            throw new CliError("Failed to remove managed save image for domain '" + name + "'", e);
        }
        context.extraUnterminated("Removed managedsave image for domain '" + name + "'");
    }
}
