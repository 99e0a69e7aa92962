package io.jvirt.cli.domain;

import io.jvirt.api.DomainRef;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.DomainArg.By;
import io.jvirt.cli.command.DomainCommand;
import java.util.EnumSet;
import picocli.CommandLine.Command;

/** {@code domid DOMAIN}: the running instance's id, "-" when inactive; named by name or UUID. Main thread. */
@Command(name = "domid", description = "convert a domain name or UUID to domain id")
public final class DomIdCommand extends DomainCommand {
    @Override
    protected void run(CliContext context) {
        DomainRef ref = domain.lookup(context.connection(), EnumSet.of(By.UUID, By.NAME));
        context.out().println(ref.isActive() ? Integer.toString(ref.id()) : "-");
    }
}
