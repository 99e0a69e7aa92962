package io.jvirt.cli;

import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliRoot;
import io.jvirt.cli.domain.AttachDeviceCommand;
import io.jvirt.cli.domain.AutostartCommand;
import io.jvirt.cli.domain.CreateCommand;
import io.jvirt.cli.domain.DefineCommand;
import io.jvirt.cli.domain.DestroyCommand;
import io.jvirt.cli.domain.DetachDeviceCommand;
import io.jvirt.cli.domain.DomBlkInfoCommand;
import io.jvirt.cli.domain.DomBlkListCommand;
import io.jvirt.cli.domain.DomBlkStatCommand;
import io.jvirt.cli.domain.DomDisplayCommand;
import io.jvirt.cli.domain.DomIdCommand;
import io.jvirt.cli.domain.DomIfListCommand;
import io.jvirt.cli.domain.DomIfStatCommand;
import io.jvirt.cli.domain.DomInfoCommand;
import io.jvirt.cli.domain.DomJobAbortCommand;
import io.jvirt.cli.domain.DomJobInfoCommand;
import io.jvirt.cli.domain.DomNameCommand;
import io.jvirt.cli.domain.DomStateCommand;
import io.jvirt.cli.domain.DomUuidCommand;
import io.jvirt.cli.domain.DumpCommand;
import io.jvirt.cli.domain.DumpXmlCommand;
import io.jvirt.cli.domain.ListCommand;
import io.jvirt.cli.domain.ManagedSaveCommand;
import io.jvirt.cli.domain.ManagedSaveRemoveCommand;
import io.jvirt.cli.domain.RebootCommand;
import io.jvirt.cli.domain.ResetCommand;
import io.jvirt.cli.domain.RestoreCommand;
import io.jvirt.cli.domain.ResumeCommand;
import io.jvirt.cli.domain.SaveCommand;
import io.jvirt.cli.domain.SaveImageDefineCommand;
import io.jvirt.cli.domain.SaveImageDumpXmlCommand;
import io.jvirt.cli.domain.ShutdownCommand;
import io.jvirt.cli.domain.StartCommand;
import io.jvirt.cli.domain.SuspendCommand;
import io.jvirt.cli.domain.UndefineCommand;
import io.jvirt.cli.guest.GuestCommand;
import io.jvirt.cli.host.HostnameCommand;
import io.jvirt.cli.host.UriCommand;
import io.jvirt.cli.host.VersionCommand;
import io.jvirt.cli.migrate.MigrateCommand;
import io.jvirt.cli.migrate.MigrateGetMaxDowntimeCommand;
import io.jvirt.cli.migrate.MigrateGetSpeedCommand;
import io.jvirt.cli.migrate.MigratePostCopyCommand;
import io.jvirt.cli.migrate.MigrateSetMaxDowntimeCommand;
import io.jvirt.cli.migrate.MigrateSetSpeedCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;

/**
 * {@code jvirt [-c URI] [-q] COMMAND ...}: the top-level command, holding the global options; each subcommand
 * reaches the shared {@link CliContext} through it. Runs on the main thread.
 */
@Command(
        name = "jvirt",
        description = "A virsh-like client for jvirt.",
        synopsisSubcommandLabel = "COMMAND",
        versionProvider = JvirtCommand.BuiltVersion.class,
        subcommands = {
            ListCommand.class,
            DefineCommand.class,
            UndefineCommand.class,
            StartCommand.class,
            CreateCommand.class,
            DestroyCommand.class,
            ShutdownCommand.class,
            RebootCommand.class,
            ResetCommand.class,
            SuspendCommand.class,
            ResumeCommand.class,
            DomInfoCommand.class,
            DomStateCommand.class,
            DomIdCommand.class,
            DomNameCommand.class,
            DomUuidCommand.class,
            DumpXmlCommand.class,
            AttachDeviceCommand.class,
            DetachDeviceCommand.class,
            DomBlkListCommand.class,
            DomIfListCommand.class,
            DomBlkStatCommand.class,
            DomBlkInfoCommand.class,
            DomIfStatCommand.class,
            AutostartCommand.class,
            DomDisplayCommand.class,
            SaveCommand.class,
            RestoreCommand.class,
            SaveImageDumpXmlCommand.class,
            SaveImageDefineCommand.class,
            ManagedSaveCommand.class,
            ManagedSaveRemoveCommand.class,
            DumpCommand.class,
            DomJobInfoCommand.class,
            DomJobAbortCommand.class,
            MigrateCommand.class,
            MigrateSetSpeedCommand.class,
            MigrateGetSpeedCommand.class,
            MigrateSetMaxDowntimeCommand.class,
            MigrateGetMaxDowntimeCommand.class,
            MigratePostCopyCommand.class,
            VersionCommand.class,
            UriCommand.class,
            HostnameCommand.class,
            DemoCommand.class,
            DaemonCommand.class,
            GuestCommand.class,
            HelpCommand.class,
        })
public final class JvirtCommand implements CliRoot {
    private final CliContext context;

    @SuppressWarnings("unused") // picocli reads it
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "show this help")
    private boolean help;

    @SuppressWarnings("unused") // picocli reads it
    @Option(
            names = "--version",
            versionHelp = true,
            description = "print jvirt's version (as virsh --version prints libvirt's)")
    private boolean version;

    /** The version this CLI was built as, for {@code --version}. */
    static final class BuiltVersion implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {io.jvirt.cli.host.VersionCommand.builtVersion()};
        }
    }

    public JvirtCommand(CliContext context) {
        this.context = context;
    }

    @Option(
            names = {"-c", "--connect"},
            paramLabel = "URI",
            description = "hypervisor connection URI (default: $JVIRT_DEFAULT_URI, else qemu:///system)")
    void setConnect(String uri) {
        context.setUriOption(uri);
    }

    @Option(
            names = {"-q", "--quiet"},
            description = "quiet mode: no headers or informational messages")
    void setQuiet(boolean quiet) {
        context.setQuiet(quiet);
    }

    @Override
    public CliContext context() {
        return context;
    }
}
