package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DumpFlags;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import io.jvirt.cli.command.DomainCommand;
import io.jvirt.cli.command.RequiredArg;
import io.jvirt.cli.job.JobProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dump DOMAIN FILE [--live] [--crash] [--bypass-cache] [--reset] [--verbose] [--memory-only]
 * [--format elf|kdump-zlib|kdump-lzo|kdump-snappy|win-dmp]}: dumps the guest's core to a file. As in virsh,
 * {@code --format} needs {@code --memory-only}, and conflicting flags are left to the driver to refuse. Main
 * thread, plus the progress poller with {@code --verbose}.
 */
@Command(name = "dump", description = "dump the core of a domain to a file for analysis")
public final class DumpCommand extends DomainCommand {
    @Parameters(index = "1", arity = "0..1", paramLabel = "<file>", description = "where to dump the core")
    private String filePositional;

    @Option(names = "--file", paramLabel = "<string>", description = "where to dump the core")
    private String fileOption;

    @Option(names = "--live", description = "perform a live core dump if supported")
    private boolean live;

    @Option(names = "--crash", description = "crash the domain after core dump")
    private boolean crash;

    @Option(names = "--bypass-cache", description = "avoid file system cache when dumping")
    private boolean bypassCache;

    @Option(names = "--reset", description = "reset the domain after core dump")
    private boolean reset;

    @Option(names = "--verbose", description = "display the progress of dump")
    private boolean verbose;

    @Option(names = "--memory-only", description = "dump domain's memory only")
    private boolean memoryOnly;

    @Option(names = "--format", paramLabel = "<string>", description = "specify the format of memory-only dump")
    private String format;

    @Override
    protected void checkArguments(CommandSpec spec) {
        super.checkArguments(spec);
        RequiredArg.require(spec, file(), "<file>");
    }

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        DomainRef ref = domain.lookup(connection);
        String file = file();
        int flags = (live ? DumpFlags.LIVE : 0)
                | (crash ? DumpFlags.CRASH : 0)
                | (bypassCache ? DumpFlags.BYPASS_CACHE : 0)
                | (reset ? DumpFlags.RESET : 0)
                | (memoryOnly ? DumpFlags.MEMORY_ONLY : 0);
        if (format != null && !memoryOnly) {
            throw new CliError("--format only works with --memory-only");
        }
        int dumpFormat = format == null ? DumpFlags.FORMAT_RAW : parseFormat(format);
        try {
            JobProgress.run(
                    connection,
                    ref,
                    "Dump",
                    verbose,
                    context.err(),
                    () -> connection.coreDump(ref, file, dumpFormat, flags));
        } catch (VirtException e) {
            throw new CliError("Failed to core dump domain '" + domain.text() + "' to " + file, e);
        }
        context.extra("\nDomain '" + domain.text() + "' dumped to " + file);
    }

    static int parseFormat(String format) {
        return switch (format) {
            case "kdump-zlib" -> DumpFlags.FORMAT_KDUMP_ZLIB;
            case "kdump-lzo" -> DumpFlags.FORMAT_KDUMP_LZO;
            case "kdump-snappy" -> DumpFlags.FORMAT_KDUMP_SNAPPY;
            case "win-dmp" -> DumpFlags.FORMAT_WIN_DMP;
            case "elf" -> DumpFlags.FORMAT_RAW;
            default ->
                throw new CliError("format '" + format + "' is not supported, expecting "
                        + "'kdump-zlib', 'kdump-lzo', 'kdump-snappy', 'win-dmp' or 'elf'");
        };
    }

    private String file() {
        return RequiredArg.either(filePositional, fileOption);
    }
}
