package io.jvirt.cli.domain;

import io.jvirt.api.DomainRef;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliCommand;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code define FILE}: defines (or redefines) a persistent domain from an XML file. Runs on the main thread. */
@Command(name = "define", description = "define (but don't start) a domain from an XML file")
public final class DefineCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "<file>", description = "file containing an XML domain description")
    private String file;

    @Override
    protected void run(CliContext context) {
        String xml = XmlFile.read(file);
        DomainRef ref;
        try {
            ref = context.connection().defineXml(xml);
        } catch (VirtException e) {
            throw new CliError("Failed to define domain from " + file, e);
        }
        context.extra("Domain '" + ref.name() + "' defined from " + file);
    }
}
