package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import io.jvirt.cli.command.DomainCommand;

/**
 * The shape virsh gives destroy, reboot, reset, suspend and resume: look the domain up, act, then print
 * {@code Domain 'X' <done>} or fail with {@code Failed to <verb> domain 'X'}, X being the domain as typed.
 */
abstract class LifecycleCommand extends DomainCommand {
    private final String verb;
    private final String done;

    LifecycleCommand(String verb, String done) {
        this.verb = verb;
        this.done = done;
    }

    /** Asks the connection for the change. */
    abstract void apply(Connection connection, DomainRef domain);

    @Override
    protected final void run(CliContext context) {
        Connection connection = context.connection();
        DomainRef ref = domain.lookup(connection);
        try {
            apply(connection, ref);
        } catch (VirtException e) {
            throw new CliError("Failed to " + verb + " domain '" + domain.text() + "'", e);
        }
        context.extra("Domain '" + domain.text() + "' " + done);
    }
}
