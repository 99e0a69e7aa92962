package io.jvirt.cli.domain;

import io.jvirt.api.SaveFlags;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliCommand;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import io.jvirt.cli.command.RequiredArg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code save-image-define FILE XML [--running|--paused]}: replaces the domain XML inside a save image, and
 * optionally the state the guest is restored into. Main thread.
 */
@Command(name = "save-image-define", description = "redefine the XML for a domain's saved state file")
public final class SaveImageDefineCommand extends CliCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<file>", description = "saved state file to modify")
    private String filePositional;

    @Option(names = "--file", paramLabel = "<string>", description = "saved state file to modify")
    private String fileOption;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "<xml>",
            description = "filename containing updated XML for the target")
    private String xmlPositional;

    @Option(names = "--xml", paramLabel = "<string>", description = "filename containing updated XML for the target")
    private String xmlOption;

    @Option(names = "--running", description = "set domain to be running on restore")
    private boolean running;

    @Option(names = "--paused", description = "set domain to be paused on restore")
    private boolean paused;

    @Override
    protected void checkArguments(CommandSpec spec) {
        RequiredArg.require(spec, file(), "<file>");
        RequiredArg.require(spec, xmlFile(), "<xml>");
    }

    @Override
    protected void run(CliContext context) {
        String file = file();
        String xml = XmlFile.read(xmlFile());
        int flags = (running ? SaveFlags.RUNNING : 0) | (paused ? SaveFlags.PAUSED : 0);
        try {
            context.connection().saveImageDefineXml(file, xml, flags);
        } catch (VirtException e) {
            throw new CliError("Failed to update " + file, e);
        }
        context.extra("State file " + file + " updated.");
    }

    private String file() {
        return RequiredArg.either(filePositional, fileOption);
    }

    private String xmlFile() {
        return RequiredArg.either(xmlPositional, xmlOption);
    }
}
