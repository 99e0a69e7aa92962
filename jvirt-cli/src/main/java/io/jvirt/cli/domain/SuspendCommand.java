package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import picocli.CommandLine.Command;

/** {@code suspend DOMAIN}: suspend (pause) a domain. Prints {@code Domain 'X' suspended}. Runs on the main thread. */
@Command(name = "suspend", description = "suspend (pause) a domain")
public final class SuspendCommand extends LifecycleCommand {
    public SuspendCommand() {
        super("suspend", "suspended");
    }

    @Override
    void apply(Connection connection, DomainRef domain) {
        connection.suspend(domain);
    }
}
