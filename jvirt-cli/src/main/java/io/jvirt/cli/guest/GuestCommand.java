package io.jvirt.cli.guest;

import io.jvirt.guest.GuestBuilder;
import io.jvirt.guest.GuestImage;
import io.jvirt.guest.GuestXml;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jvirt guest build|xml}: builds the jvirt test guest (a Debian cloud kernel plus an initramfs whose
 * workload fills, dirties and checks memory) and prints domain XML that boots it. Needs no connection.
 * Failures surface as {@link io.jvirt.api.VirtException}, which the CLI prints as {@code error: <message>}.
 * Runs on the main thread.
 */
@Command(
        name = "guest",
        description = "build the jvirt test guest or print domain XML for it",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {GuestCommand.Build.class, GuestCommand.Xml.class})
public final class GuestCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @SuppressWarnings("unused") // picocli reads it
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "show this help")
    private boolean help;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "guest: missing command (build or xml)");
    }

    /** {@code jvirt guest build [--cache-dir DIR]}: builds (or finds cached) and prints the kernel and initrd. */
    @Command(name = "build", description = "build the test guest (cached) and print its kernel and initrd paths")
    static final class Build implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @SuppressWarnings("unused") // picocli reads it
        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "show this help")
        private boolean help;

        @Option(
                names = "--cache-dir",
                paramLabel = "DIR",
                description = "cache directory (default: $JVIRT_GUEST_DIR, else <repo>/.cache/guest, "
                        + "else ~/.cache/jvirt/guest)")
        private Path cacheDir;

        @Override
        public Integer call() {
            GuestImage image = cacheDir == null ? GuestBuilder.ensureBuilt() : GuestBuilder.ensureBuilt(cacheDir);
            PrintWriter out = spec.commandLine().getOut();
            out.println("kernel: " + image.kernel());
            out.println("initrd: " + image.initrd());
            out.flush();
            return 0;
        }
    }

    /** {@code jvirt guest xml --name NAME [...]}: builds if needed, then prints the domain XML. */
    @Command(
            name = "xml",
            description = "print libvirt domain XML that boots the test guest (building it first if needed)")
    static final class Xml implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @SuppressWarnings("unused") // picocli reads it
        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "show this help")
        private boolean help;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "domain name")
        private String name;

        @Option(
                names = "--memory",
                paramLabel = "MiB",
                defaultValue = "512",
                description = "guest memory in MiB (default: ${DEFAULT-VALUE})")
        private long memoryMiB;

        @Option(
                names = "--fill",
                paramLabel = "MiB",
                defaultValue = "384",
                description = "memory the guest fills with its pattern, in MiB (default: ${DEFAULT-VALUE})")
        private long fillMiB;

        @Option(
                names = "--dirty",
                paramLabel = "MiB/s",
                defaultValue = "0",
                description = "rate at which the guest rewrites memory once filled (default: ${DEFAULT-VALUE})")
        private long dirtyMibps;

        @Option(
                names = "--seed",
                paramLabel = "N",
                defaultValue = "1",
                description = "seed of the memory pattern (default: ${DEFAULT-VALUE})")
        private long seed;

        @Option(
                names = "--serial",
                paramLabel = "FILE",
                description = "file the serial console is appended to (default: /tmp/jvirt-NAME.log)")
        private Path serialFile;

        @Option(names = "--kvm", description = "domain type kvm instead of qemu (TCG)")
        private boolean kvm;

        @Option(names = "--cache-dir", paramLabel = "DIR", description = "guest cache directory, as for build")
        private Path cacheDir;

        @Override
        public Integer call() {
            // Validate the settings before a possibly long first build.
            GuestXml guest = GuestXml.named(name)
                    .memoryMiB(memoryMiB)
                    .fillMiB(fillMiB)
                    .dirtyMibps(dirtyMibps)
                    .seed(seed)
                    .kvm(kvm);
            if (serialFile != null) {
                guest.serialFile(serialFile);
            }
            guest.kernelCmdline();
            guest.image(cacheDir == null ? GuestBuilder.ensureBuilt() : GuestBuilder.ensureBuilt(cacheDir));
            PrintWriter out = spec.commandLine().getOut();
            out.print(guest.toXml());
            out.flush();
            return 0;
        }
    }
}
