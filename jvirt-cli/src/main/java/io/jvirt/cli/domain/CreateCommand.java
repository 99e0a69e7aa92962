package io.jvirt.cli.domain;

import io.jvirt.api.CreateFlags;
import io.jvirt.api.DomainRef;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliCommand;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code create FILE [--paused]}: starts a transient domain from an XML file. Runs on the main thread. */
@Command(name = "create", description = "create a domain from an XML file")
public final class CreateCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "<file>", description = "file containing an XML domain description")
    private String file;

    @Option(names = "--paused", description = "leave the guest paused after creation")
    private boolean paused;

    @Override
    protected void run(CliContext context) {
        String xml = XmlFile.read(file);
        DomainRef ref;
        try {
            ref = context.connection().createXml(xml, paused ? CreateFlags.START_PAUSED : 0);
        } catch (VirtException e) {
            throw new CliError("Failed to create domain from " + file, e);
        }
        context.extra("Domain '" + ref.name() + "' created from " + file);
    }
}
