package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.SaveFlags;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import io.jvirt.cli.command.DomainCommand;
import io.jvirt.cli.job.JobProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code managedsave DOMAIN [--bypass-cache] [--running|--paused] [--verbose]}: saves the guest to the driver's
 * own image, which the next {@code start} restores. Main thread, plus the progress poller with {@code --verbose}.
 */
@Command(name = "managedsave", description = "managed save of a domain state")
public final class ManagedSaveCommand extends DomainCommand {
    @Option(names = "--bypass-cache", description = "avoid file system cache when saving")
    private boolean bypassCache;

    @Option(names = "--running", description = "set domain to be running on next start")
    private boolean running;

    @Option(names = "--paused", description = "set domain to be paused on next start")
    private boolean paused;

    @Option(names = "--verbose", description = "display the progress of save")
    private boolean verbose;

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        DomainRef ref = domain.lookup(connection);
        int flags = (bypassCache ? SaveFlags.BYPASS_CACHE : 0)
                | (running ? SaveFlags.RUNNING : 0)
                | (paused ? SaveFlags.PAUSED : 0);
        try {
            JobProgress.run(
                    connection, ref, "Managedsave", verbose, context.err(), () -> connection.managedSave(ref, flags));
        } catch (VirtException e) {
            throw new CliError("Failed to save domain '" + domain.text() + "' state", e);
        }
        context.extra("\nDomain '" + domain.text() + "' state saved by libvirt");
    }
}
