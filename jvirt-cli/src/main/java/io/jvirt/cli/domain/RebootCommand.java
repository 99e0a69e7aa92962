package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import picocli.CommandLine.Command;

/** {@code reboot DOMAIN}: reboot a domain through ACPI. Prints {@code Domain 'X' is being rebooted}. Runs on the main thread. */
@Command(name = "reboot", description = "reboot a domain through ACPI")
public final class RebootCommand extends LifecycleCommand {
    public RebootCommand() {
        super("reboot", "is being rebooted");
    }

    @Override
    void apply(Connection connection, DomainRef domain) {
        connection.reboot(domain, 0);
    }
}
