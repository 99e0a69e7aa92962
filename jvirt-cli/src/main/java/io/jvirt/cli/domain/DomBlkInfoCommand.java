package io.jvirt.cli.domain;

import io.jvirt.api.BlockInfo;
import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import io.jvirt.cli.command.DomainCommand;
import io.jvirt.cli.command.VirshFormat;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code domblkinfo DOMAIN DEVICE [--human]} and {@code domblkinfo DOMAIN --all}: a disk's capacity, allocation and
 * physical size, or a table of them for every disk (an empty drive shows "-"). Main thread.
 */
@Command(name = "domblkinfo", description = "domain block device size information")
public final class DomBlkInfoCommand extends DomainCommand {
    @Parameters(index = "1", arity = "0..1", paramLabel = "<device>", description = "block device")
    private String device;

    @Option(names = "--human", description = "Human readable output")
    private boolean human;

    @Option(names = "--all", description = "display all block devices info")
    private boolean all;

    @Override
    protected void checkArguments(CommandSpec spec) {
        super.checkArguments(spec);
        if (all && device != null) {
            throw new ParameterException(spec.commandLine(), "Options --all and --device are mutually exclusive");
        }
        if (!all && device == null) {
            throw new ParameterException(spec.commandLine(), "command 'domblkinfo' requires <device> option");
        }
    }

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        DomainRef ref = domain.lookup(connection);
        if (!all) {
            BlockInfo info = info(connection, ref, device);
            context.out().println(VirshFormat.field("Capacity:", size(info.capacity())));
            context.out().println(VirshFormat.field("Allocation:", size(info.allocation())));
            context.out().println(VirshFormat.field("Physical:", size(info.physical())));
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (DomainXmlFacts.Disk d :
                DomainXmlFacts.parse(connection.xmlDesc(ref, 0)).disks()) {
            if (d.source() == null || !ref.isActive() && "network".equals(d.type())) {
                rows.add(List.of(DomBlkListCommand.dash(d.target()), "-", "-", "-"));
                continue;
            }
            BlockInfo info = info(connection, ref, d.target());
            rows.add(List.of(d.target(), size(info.capacity()), size(info.allocation()), size(info.physical())));
        }
        context.out().print(VirshFormat.table(List.of("Target", "Capacity", "Allocation", "Physical"), rows, true));
    }

    private static BlockInfo info(Connection connection, DomainRef ref, String dev) {
        try {
            return connection.blockInfo(ref, dev, 0);
        } catch (VirtException e) {
            throw new CliError("Failed to get block info " + dev, e);
        }
    }

    private String size(long bytes) {
        return human ? VirshFormat.capacity(bytes) : Long.toUnsignedString(bytes);
    }
}
