package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.XmlFlags;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.DomainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dumpxml DOMAIN [--inactive] [--security-info] [--migratable]}: the domain's XML. Main thread. */
@Command(name = "dumpxml", description = "domain information in XML")
public final class DumpXmlCommand extends DomainCommand {
    @Option(names = "--inactive", description = "show inactive defined XML")
    private boolean inactive;

    @Option(names = "--security-info", description = "include security sensitive information in XML dump")
    private boolean securityInfo;

    @Option(names = "--update-cpu", description = "update guest CPU according to host CPU")
    private boolean updateCpu;

    @Option(names = "--migratable", description = "provide XML suitable for migrations")
    private boolean migratable;

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        String xml = connection.xmlDesc(domain.lookup(connection), flags());
        context.out().print(xml.endsWith("\n") ? xml : xml + "\n");
    }

    int flags() {
        return (inactive ? XmlFlags.INACTIVE : 0)
                | (securityInfo ? XmlFlags.SECURE : 0)
                | (updateCpu ? XmlFlags.UPDATE_CPU : 0)
                | (migratable ? XmlFlags.MIGRATABLE : 0);
    }
}
