package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import io.jvirt.cli.command.DomainCommand;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code domblkstat DOMAIN [DEVICE] [--human]}: a disk's I/O counters (all disks summed without DEVICE), one
 * {@code DEVICE FIELD VALUE} line each, under virsh's names ({@code rd_req} for {@code rd_operations}) or, with
 * {@code --human}, its descriptions. Main thread.
 */
@Command(name = "domblkstat", description = "get device block stats for a domain")
public final class DomBlkStatCommand extends DomainCommand {
    // virsh's legacy name and description of each field libvirt returns.
    private static final Map<String, String[]> FIELDS = Map.of(
            "rd_operations", new String[] {"rd_req", "number of read operations:"},
            "rd_bytes", new String[] {"rd_bytes", "number of bytes read:"},
            "wr_operations", new String[] {"wr_req", "number of write operations:"},
            "wr_bytes", new String[] {"wr_bytes", "number of bytes written:"},
            "errs", new String[] {"errs", "error count:"},
            "flush_operations", new String[] {"flush_operations", "number of flush operations:"},
            "rd_total_times", new String[] {"rd_total_times", "total duration of reads (ns):"},
            "wr_total_times", new String[] {"wr_total_times", "total duration of writes (ns):"},
            "flush_total_times", new String[] {"flush_total_times", "total duration of flushes (ns):"});

    @Parameters(index = "1", arity = "0..1", paramLabel = "<device>", description = "block device")
    private String device;

    @Option(names = "--human", description = "print a more human readable output")
    private boolean human;

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        String dev = device == null ? "" : device;
        List<TypedParam> stats;
        try {
            stats = connection.blockStats(domain.lookup(connection), dev, 0);
        } catch (VirtException e) {
            throw new CliError("Failed to get block stats " + domain.text() + " " + dev, e);
        }
        String shown = dev;
        if (human) {
            context.out().println("Device: " + dev);
            shown = ""; // virsh names the device once, above
        }
        for (TypedParam p : stats) {
            String[] names = FIELDS.get(p.field());
            String label = names == null ? p.field() : human ? names[1] : names[0];
            String padded = human ? String.format(Locale.ROOT, "%-31s", label) : label;
            context.out().println(shown + " " + padded + " " + p.value());
        }
    }
}
