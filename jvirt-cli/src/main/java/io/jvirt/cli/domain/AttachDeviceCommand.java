package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import io.jvirt.cli.command.DomainCommand;
import io.jvirt.cli.command.RequiredArg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code attach-device DOMAIN FILE [--live] [--config] [--persistent] [--current]}: hot-plug or add. Main thread. */
@Command(name = "attach-device", description = "attach device from an XML file")
public final class AttachDeviceCommand extends DomainCommand {
    @Parameters(index = "1", arity = "0..1", paramLabel = "<file>", description = "XML file")
    private String filePositional;

    @Option(names = "--file", paramLabel = "<string>", description = "XML file")
    private String fileOption;

    @Mixin
    private DeviceImpactOptions impact;

    @Override
    protected void checkArguments(CommandSpec spec) {
        super.checkArguments(spec);
        impact.check(spec);
        RequiredArg.require(spec, file(), "<file>");
    }

    private String file() {
        return RequiredArg.either(filePositional, fileOption);
    }

    @Override
    protected void run(CliContext context) {
        String file = file();
        String xml = XmlFile.read(file);
        Connection connection = context.connection();
        DomainRef ref = domain.lookup(connection);
        try {
            connection.attachDevice(ref, xml, impact.flags(ref));
        } catch (VirtException e) {
            throw new CliError("Failed to attach device from " + file, e);
        }
        context.extra("Device attached successfully");
    }
}
