package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.XmlFlags;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.DomainCommand;
import io.jvirt.cli.command.VirshFormat;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code domblklist DOMAIN [--inactive] [--details]}: the domain's disks as virsh's table. Main thread. */
@Command(name = "domblklist", description = "list all domain blocks")
public final class DomBlkListCommand extends DomainCommand {
    @Option(names = "--inactive", description = "get inactive rather than running configuration")
    private boolean inactive;

    @Option(names = "--details", description = "additionally display the type and device value")
    private boolean details;

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        String xml = connection.xmlDesc(domain.lookup(connection), inactive ? XmlFlags.INACTIVE : 0);
        List<List<String>> rows = DomainXmlFacts.parse(xml).disks().stream()
                .map(d -> {
                    String source = d.source() == null ? "-" : d.source();
                    return details
                            ? List.of(dash(d.type()), d.device(), dash(d.target()), source)
                            : List.of(dash(d.target()), source);
                })
                .toList();
        List<String> header = details ? List.of("Type", "Device", "Target", "Source") : List.of("Target", "Source");
        context.out().print(VirshFormat.table(header, rows, true));
    }

    static String dash(String value) {
        return value == null ? "-" : value;
    }
}
