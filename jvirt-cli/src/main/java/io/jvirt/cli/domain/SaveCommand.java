package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.SaveFlags;
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
 * {@code save DOMAIN FILE [--bypass-cache] [--image-format FMT] [--xml FILE] [--running|--paused] [--verbose]}:
 * saves a running guest's state to a file and stops it. {@code --running} and {@code --paused} go to the driver
 * together if both are given, which refuses them, as virsh leaves it to do. Main thread, plus the progress
 * poller with {@code --verbose}.
 */
@Command(name = "save", description = "save a domain state to a file")
public final class SaveCommand extends DomainCommand {
    @Parameters(index = "1", arity = "0..1", paramLabel = "<file>", description = "where to save the data")
    private String filePositional;

    @Option(names = "--file", paramLabel = "<string>", description = "where to save the data")
    private String fileOption;

    @Option(names = "--bypass-cache", description = "avoid file system cache when saving")
    private boolean bypassCache;

    @Option(names = "--image-format", paramLabel = "<string>", description = "format of the save image file")
    private String imageFormat;

    @Option(names = "--xml", paramLabel = "<string>", description = "filename containing updated XML for the target")
    private String xmlFile;

    @Option(names = "--running", description = "set domain to be running on restore")
    private boolean running;

    @Option(names = "--paused", description = "set domain to be paused on restore")
    private boolean paused;

    @Option(names = "--verbose", description = "display the progress of save")
    private boolean verbose;

    @Override
    protected void checkArguments(CommandSpec spec) {
        super.checkArguments(spec);
        RequiredArg.require(spec, file(), "<file>");
    }

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        DomainRef ref = domain.lookup(connection);
        String xml = xmlFile == null ? null : XmlFile.read(xmlFile);
        String file = file();
        int flags = (bypassCache ? SaveFlags.BYPASS_CACHE : 0)
                | (running ? SaveFlags.RUNNING : 0)
                | (paused ? SaveFlags.PAUSED : 0);
        try {
            JobProgress.run(
                    connection,
                    ref,
                    "Save",
                    verbose,
                    context.err(),
                    () -> connection.save(ref, file, xml, imageFormat, flags));
        } catch (VirtException e) {
            throw new CliError("Failed to save domain '" + domain.text() + "' to " + file, e);
        }
        context.extra("\nDomain '" + domain.text() + "' saved to " + file);
    }

    private String file() {
        return RequiredArg.either(filePositional, fileOption);
    }
}
