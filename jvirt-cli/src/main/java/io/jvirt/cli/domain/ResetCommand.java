package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import picocli.CommandLine.Command;

/** {@code reset DOMAIN}: reset a domain, like pressing its reset button. Prints {@code Domain 'X' was reset}. Runs on the main thread. */
@Command(name = "reset", description = "reset a domain, like pressing its reset button")
public final class ResetCommand extends LifecycleCommand {
    public ResetCommand() {
        super("reset", "was reset");
    }

    @Override
    void apply(Connection connection, DomainRef domain) {
        connection.reset(domain, 0);
    }
}
