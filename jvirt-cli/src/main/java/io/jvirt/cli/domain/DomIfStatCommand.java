package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.InterfaceStats;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import io.jvirt.cli.command.DomainCommand;
import io.jvirt.cli.command.RequiredArg;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code domifstat DOMAIN INTERFACE}: an interface's counters as the guest sees them, one
 * {@code INTERFACE FIELD VALUE} line each (fields the driver does not know, -1, left out). Main thread.
 */
@Command(name = "domifstat", description = "get network interface stats for a domain")
public final class DomIfStatCommand extends DomainCommand {
    @Parameters(index = "1", arity = "0..1", paramLabel = "<interface>", description = "interface device")
    private String positional;

    @Option(names = "--interface", paramLabel = "<string>", description = "interface device")
    private String option;

    @Override
    protected void checkArguments(CommandSpec spec) {
        super.checkArguments(spec);
        RequiredArg.require(spec, device(), "<interface>");
    }

    private String device() {
        return RequiredArg.either(positional, option);
    }

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        String device = device();
        InterfaceStats s;
        try {
            s = connection.interfaceStats(domain.lookup(connection), device);
        } catch (VirtException e) {
            throw new CliError("Failed to get interface stats " + domain.text() + " " + device, e);
        }
        PrintWriter out = context.out();
        line(out, device, "rx_bytes", s.rxBytes());
        line(out, device, "rx_packets", s.rxPackets());
        line(out, device, "rx_errs", s.rxErrs());
        line(out, device, "rx_drop", s.rxDrop());
        line(out, device, "tx_bytes", s.txBytes());
        line(out, device, "tx_packets", s.txPackets());
        line(out, device, "tx_errs", s.txErrs());
        line(out, device, "tx_drop", s.txDrop());
    }

    private static void line(PrintWriter out, String device, String field, long value) {
        if (value >= 0) {
            out.println(device + " " + field + " " + value);
        }
    }
}
