package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import io.jvirt.cli.command.DomainCommand;
import io.jvirt.cli.command.RequiredArg;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The shape virsh gives attach-device and detach-device: read device XML from a file, act on the domain with the
 * impact flags, then print {@code Device <done> successfully} or fail with {@code Failed to <verb> device from
 * FILE}. Main thread.
 */
abstract class DeviceFileCommand extends DomainCommand {
    private final String verb;
    private final String done;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<file>", description = "XML file")
    private String filePositional;

    @Option(names = "--file", paramLabel = "<string>", description = "XML file")
    private String fileOption;

    @Mixin
    private DeviceImpactOptions impact;

    DeviceFileCommand(String verb, String done) {
        this.verb = verb;
        this.done = done;
    }

    /** Asks the connection for the change. */
    abstract void apply(Connection connection, DomainRef domain, String xml, int flags);

    @Override
    protected final void checkArguments(CommandSpec spec) {
        super.checkArguments(spec);
        impact.check(spec);
        RequiredArg.require(spec, file(), "<file>");
    }

    private String file() {
        return RequiredArg.either(filePositional, fileOption);
    }

    @Override
    protected final void run(CliContext context) {
        String file = file();
        String xml = XmlFile.read(file);
        Connection connection = context.connection();
        DomainRef ref = domain.lookup(connection);
        try {
            apply(connection, ref, xml, impact.flags(ref));
        } catch (VirtException e) {
            throw new CliError("Failed to " + verb + " device from " + file, e);
        }
        context.extra("Device " + done + " successfully");
    }
}
