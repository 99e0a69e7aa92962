package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import picocli.CommandLine.Command;

/** {@code destroy DOMAIN}: destroy (stop) a domain at once, like pulling its power plug. Prints {@code Domain 'X' destroyed}. Runs on the main thread. */
@Command(name = "destroy", description = "destroy (stop) a domain at once, like pulling its power plug")
public final class DestroyCommand extends LifecycleCommand {
    public DestroyCommand() {
        super("destroy", "destroyed");
    }

    @Override
    void apply(Connection connection, DomainRef domain) {
        connection.destroy(domain, 0);
    }
}
