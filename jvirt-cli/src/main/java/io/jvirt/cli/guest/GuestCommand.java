package io.jvirt.cli.guest;

import io.jvirt.guest.GuestBuilder;
import io.jvirt.guest.GuestDisk;
import io.jvirt.guest.GuestImage;
import io.jvirt.guest.GuestNic;
import io.jvirt.guest.GuestXml;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jvirt guest build|xml}: builds the jvirt test guest (a Debian cloud kernel plus an initramfs whose
 * workload fills, dirties and checks memory, and, when asked, writes and verifies a disk and sets an address on
 * its NIC) and prints domain XML that boots it. Needs no connection.
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

        @Option(
                names = "--disk",
                paramLabel = "SPEC",
                description = "add a disk: PATH[,format=raw|qcow2][,bus=virtio|scsi|sata][,type=file|block]"
                        + "[,target=DEV] (default raw file on virtio as vda; repeatable)")
        private List<String> disks = new ArrayList<>();

        @Option(
                names = "--disk-write",
                paramLabel = "MiB/s",
                description = "run the disk workload on the first disk (or --disk-device), writing at this rate;"
                        + " 0 only verifies what an earlier writer left")
        private Long diskMibps;

        @Option(
                names = "--disk-region",
                paramLabel = "MiB",
                defaultValue = "" + GuestXml.DEFAULT_DISK_REGION_MIB,
                description = "size of the region the disk workload writes and verifies (default: ${DEFAULT-VALUE})")
        private long diskRegionMiB;

        @Option(
                names = "--disk-device",
                paramLabel = "DEV",
                description = "the guest's device for the disk workload (default: /dev/ plus the first disk's target)")
        private String diskDevice;

        @Option(
                names = "--bridge",
                paramLabel = "BRIDGE",
                description = "add a virtio NIC on this host bridge (<interface type='bridge'>)")
        private String bridge;

        @Option(
                names = "--mac",
                paramLabel = "MAC",
                description = "the NIC's MAC address (default: 52:54:00 plus a hash of the name)")
        private String mac;

        @Option(names = "--nic-target", paramLabel = "DEV", description = "the tap's name on the host (<target dev>)")
        private String nicTarget;

        @Option(
                names = "--ip",
                paramLabel = "ADDR/PREFIX",
                description = "address the guest sets on its eth0 at boot, such as 10.0.0.2/24")
        private String ip;

        @Option(names = "--gateway", paramLabel = "ADDR", description = "the guest's default gateway (needs --ip)")
        private String gateway;

        /** The guest these options describe, validated, without an image yet. */
        GuestXml guest() {
            GuestXml guest = GuestXml.named(name)
                    .memoryMiB(memoryMiB)
                    .fillMiB(fillMiB)
                    .dirtyMibps(dirtyMibps)
                    .seed(seed)
                    .kvm(kvm);
            if (serialFile != null) {
                guest.serialFile(serialFile);
            }
            disks.forEach(spec -> guest.disk(GuestDisk.parse(spec)));
            if (diskMibps != null) {
                guest.diskWorkload(diskDevice, diskMibps, diskRegionMiB);
            } else if (diskDevice != null) {
                throw new ParameterException(spec.commandLine(), "--disk-device needs --disk-write");
            }
            if (bridge != null) {
                GuestNic nic = GuestNic.bridge(bridge, mac != null ? mac : GuestNic.macFor(name));
                guest.nic(nicTarget != null ? nic.target(nicTarget) : nic);
            } else if (mac != null || nicTarget != null) {
                throw new ParameterException(spec.commandLine(), "--mac and --nic-target need --bridge");
            }
            if (ip != null) {
                guest.ip(ip);
            }
            if (gateway != null) {
                guest.gateway(gateway);
            }
            guest.kernelCmdline();
            return guest;
        }

        @Override
        public Integer call() {
            // Validate the settings before a possibly long first build.
            GuestXml guest = guest();
            guest.image(cacheDir == null ? GuestBuilder.ensureBuilt() : GuestBuilder.ensureBuilt(cacheDir));
            PrintWriter out = spec.commandLine().getOut();
            out.print(guest.toXml());
            out.flush();
            return 0;
        }
    }
}
