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
 * {@code restore FILE [--bypass-cache] [--xml FILE] [--running|--paused] [--reset-nvram]}: starts a guest from a
 * save image. Main thread.
 */
@Command(name = "restore", description = "restore a domain from a saved state in a file")
public final class RestoreCommand extends CliCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<file>", description = "the state to restore")
    private String filePositional;

    @Option(names = "--file", paramLabel = "<string>", description = "the state to restore")
    private String fileOption;

    @Option(names = "--bypass-cache", description = "avoid file system cache when restoring")
    private boolean bypassCache;

    @Option(names = "--xml", paramLabel = "<string>", description = "filename containing updated XML for the target")
    private String xmlFile;

    @Option(names = "--running", description = "restore domain into running state")
    private boolean running;

    @Option(names = "--paused", description = "restore domain into paused state")
    private boolean paused;

    @Option(names = "--reset-nvram", description = "re-initialize NVRAM from its pristine template")
    private boolean resetNvram;

    @Override
    protected void checkArguments(CommandSpec spec) {
        RequiredArg.require(spec, file(), "<file>");
    }

    @Override
    protected void run(CliContext context) {
        String file = file();
        String xml = xmlFile == null ? null : XmlFile.read(xmlFile);
        int flags = (bypassCache ? SaveFlags.BYPASS_CACHE : 0)
                | (running ? SaveFlags.RUNNING : 0)
                | (paused ? SaveFlags.PAUSED : 0)
                | (resetNvram ? SaveFlags.RESET_NVRAM : 0);
        try {
            context.connection().restore(file, xml, flags);
        } catch (VirtException e) {
            throw new CliError("Failed to restore domain from " + file, e);
        }
        context.extra("Domain restored from " + file);
    }

    private String file() {
        return RequiredArg.either(filePositional, fileOption);
    }
}
