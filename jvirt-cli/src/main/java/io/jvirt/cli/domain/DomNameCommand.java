package io.jvirt.cli.domain;

import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.DomainArg.By;
import io.jvirt.cli.command.DomainCommand;
import java.util.EnumSet;
import picocli.CommandLine.Command;

/** {@code domname DOMAIN}: the name of a domain given by id or UUID (not by name, as in virsh). Main thread. */
@Command(name = "domname", description = "convert a domain id or UUID to domain name")
public final class DomNameCommand extends DomainCommand {
    @Override
    protected void run(CliContext context) {
        context.out()
                .println(domain.lookup(context.connection(), EnumSet.of(By.ID, By.UUID))
                        .name());
    }
}
