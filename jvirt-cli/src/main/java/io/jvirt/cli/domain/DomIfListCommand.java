package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.XmlFlags;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.DomainCommand;
import io.jvirt.cli.command.VirshFormat;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code domiflist DOMAIN [--inactive]}: the domain's interfaces as virsh's table (host device, type, source
 * bridge or network, model, MAC; "-" for what is absent). Main thread.
 */
@Command(name = "domiflist", description = "list all domain virtual interfaces")
public final class DomIfListCommand extends DomainCommand {
    @Option(names = "--inactive", description = "get inactive rather than running configuration")
    private boolean inactive;

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        String xml = connection.xmlDesc(domain.lookup(connection), inactive ? XmlFlags.INACTIVE : 0);
        List<List<String>> rows = DomainXmlFacts.parse(xml).interfaces().stream()
                .map(i -> List.of(
                        DomBlkListCommand.dash(i.targetDev()),
                        DomBlkListCommand.dash(i.type()),
                        DomBlkListCommand.dash(i.source()),
                        DomBlkListCommand.dash(i.model()),
                        DomBlkListCommand.dash(i.mac())))
                .toList();
        context.out().print(VirshFormat.table(List.of("Interface", "Type", "Source", "Model", "MAC"), rows, true));
    }
}
