package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import picocli.CommandLine.Command;

/** {@code resume DOMAIN}: resume a previously suspended domain. Prints {@code Domain 'X' resumed}. Runs on the main thread. */
@Command(name = "resume", description = "resume a previously suspended domain")
public final class ResumeCommand extends LifecycleCommand {
    public ResumeCommand() {
        super("resume", "resumed");
    }

    @Override
    void apply(Connection connection, DomainRef domain) {
        connection.resume(domain);
    }
}
