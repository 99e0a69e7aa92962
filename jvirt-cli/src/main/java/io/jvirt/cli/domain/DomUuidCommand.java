package io.jvirt.cli.domain;

import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.DomainArg.By;
import io.jvirt.cli.command.DomainCommand;
import java.util.EnumSet;
import picocli.CommandLine.Command;

/** {@code domuuid DOMAIN}: the UUID of a domain given by id or name. Main thread. */
@Command(name = "domuuid", description = "convert a domain name or id to domain UUID")
public final class DomUuidCommand extends DomainCommand {
    @Override
    protected void run(CliContext context) {
        context.out()
                .println(domain.lookup(context.connection(), EnumSet.of(By.ID, By.NAME))
                        .uuid());
    }
}
