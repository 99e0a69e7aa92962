package io.jvirt.cli.domain;

import io.jvirt.api.XmlFlags;
import io.jvirt.cli.command.CliCommand;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.RequiredArg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code save-image-dumpxml FILE [--security-info]}: the domain XML stored in a save image. A failure is the
 * driver's error alone, without a headline, as in virsh. Main thread.
 */
@Command(name = "save-image-dumpxml", description = "saved state domain information in XML")
public final class SaveImageDumpXmlCommand extends CliCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<file>", description = "saved state file to read")
    private String filePositional;

    @Option(names = "--file", paramLabel = "<string>", description = "saved state file to read")
    private String fileOption;

    @Option(names = "--security-info", description = "include security sensitive information in XML dump")
    private boolean securityInfo;

    @Override
    protected void checkArguments(CommandSpec spec) {
        RequiredArg.require(spec, file(), "<file>");
    }

    @Override
    protected void run(CliContext context) {
        String xml = context.connection().saveImageXml(file(), securityInfo ? XmlFlags.SECURE : 0);
        context.out().print(xml.endsWith("\n") ? xml : xml + "\n");
    }

    private String file() {
        return RequiredArg.either(filePositional, fileOption);
    }
}
