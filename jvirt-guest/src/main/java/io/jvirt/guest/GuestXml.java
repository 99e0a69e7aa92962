package io.jvirt.guest;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the libvirt domain XML of a test guest: direct kernel boot of a {@link GuestImage}, one vCPU, ACPI
 * (for {@code system_powerdown}), the serial console appended to a file (so the log continues across
 * migrations), the disks ({@link GuestDisk}) and bridged NIC ({@link GuestNic}) asked for, and nothing else: no
 * graphics or balloon. The workload's settings travel on the kernel command line: {@code jvirt.fill},
 * {@code jvirt.dirty}, {@code jvirt.seed}, {@code jvirt.sweep}, and when asked {@code jvirt.disk},
 * {@code jvirt.disk_mibps}, {@code jvirt.disk_mib} (the disk workload) and {@code jvirt.ip}, {@code jvirt.gw}
 * (the address of the guest's {@code eth0}). A mutable builder for one thread; {@link #toXml()} may be called
 * repeatedly.
 */
public final class GuestXml {
    /** The only emulator the test setups use. */
    public static final String EMULATOR = "/usr/bin/qemu-system-x86_64";
    // The name ends up in a default file name, so it stays a plain word.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    // Room for the kernel, page tables and the workload's bookkeeping beside the filled memory.
    private static final long HEADROOM_MIB = 96;
    private static final Pattern DEVICE = Pattern.compile("/dev/[a-z][a-z0-9]{0,15}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    /** The disk workload's region when none is set: large enough for a real pass, quick to verify under TCG. */
    public static final long DEFAULT_DISK_REGION_MIB = 64;

    private final String name;
    private long memoryMiB = 512;
    private long fillMiB = 384;
    private long dirtyMibps;
    private long seed = 1;
    private long sweepPercent = 25;
    private Path serialFile;
    private boolean kvm;
    private GuestImage image;
    private final List<GuestDisk> disks = new ArrayList<>();
    private boolean diskWorkload;
    private String diskDevice; // null: the first disk's
    private long diskMibps;
    private long diskRegionMiB = DEFAULT_DISK_REGION_MIB;
    private GuestNic nic;
    private String ip;
    private String gateway;

    private GuestXml(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw invalid("guest name must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or "
                    + "digit: '" + name + "'");
        }
        this.name = name;
    }

    /** A guest named {@code name} with the defaults: 512 MiB, 384 MiB filled, idle, seed 1, type qemu. */
    public static GuestXml named(String name) {
        return new GuestXml(name);
    }

    public GuestXml memoryMiB(long memoryMiB) {
        this.memoryMiB = memoryMiB;
        return this;
    }

    public GuestXml fillMiB(long fillMiB) {
        this.fillMiB = fillMiB;
        return this;
    }

    /** How fast the guest rewrites memory once filled; 0 keeps it from dirtying (it still reads). */
    public GuestXml dirtyMibps(long dirtyMibps) {
        this.dirtyMibps = dirtyMibps;
        return this;
    }

    public GuestXml seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * The share of the guest's time spent re-checking its fill area (the guest's default 25, at most 90): a
     * higher share makes the sweeps that {@link GuestIntegrity} waits for come sooner.
     */
    public GuestXml sweepPercent(long sweepPercent) {
        this.sweepPercent = sweepPercent;
        return this;
    }

    /** The file QEMU appends the serial console to; default {@code /tmp/jvirt-<name>.log}. */
    public GuestXml serialFile(Path serialFile) {
        this.serialFile = serialFile;
        return this;
    }

    /** {@code true} for {@code <domain type='kvm'>}; default {@code false}, {@code type='qemu'} (TCG). */
    public GuestXml kvm(boolean kvm) {
        this.kvm = kvm;
        return this;
    }

    public GuestXml image(GuestImage image) {
        this.image = image;
        return this;
    }

    /** Adds a disk (after those added before: the first one added is the first on its bus). */
    public GuestXml disk(GuestDisk disk) {
        disks.add(disk);
        return this;
    }

    /**
     * Runs the disk workload on the first disk added ({@link GuestDisk#guestDevice()}): writes at {@code mibps}
     * (0: only verifies what an earlier writer left, after a copy, say) over the first {@code regionMiB} MiB, and
     * verifies that region in passes; the ticks then carry {@code disk_writes=… disk_pass=… disk=ok|BAD@…}.
     */
    public GuestXml diskWorkload(long mibps, long regionMiB) {
        return diskWorkload(null, mibps, regionMiB);
    }

    /**
     * As {@link #diskWorkload(long, long)} on the guest's {@code guestDevice} ({@code /dev/vdb}, …), which need not
     * be a disk of this XML: a test that boots QEMU itself gives the disk on QEMU's command line.
     */
    public GuestXml diskWorkload(String guestDevice, long mibps, long regionMiB) {
        this.diskWorkload = true;
        this.diskDevice = guestDevice;
        this.diskMibps = mibps;
        this.diskRegionMiB = regionMiB;
        return this;
    }

    /** A bridged virtio NIC; the guest configures it as {@code eth0} when given an {@link #ip}. */
    public GuestXml nic(GuestNic nic) {
        this.nic = nic;
        return this;
    }

    /** A virtio NIC on {@code bridge} with the MAC {@link GuestNic#macFor} derives from the name. */
    public GuestXml bridge(String bridge) {
        return nic(GuestNic.bridge(bridge, GuestNic.macFor(name)));
    }

    /** The guest's address with its prefix length ({@code 10.1.2.3/24}), set on its {@code eth0} at boot. */
    public GuestXml ip(String addressWithPrefix) {
        this.ip = addressWithPrefix;
        return this;
    }

    /** The guest's default gateway; needs {@link #ip}. */
    public GuestXml gateway(String address) {
        this.gateway = address;
        return this;
    }

    public String name() {
        return name;
    }

    /** The disks, in the order added. */
    public List<GuestDisk> disks() {
        return List.copyOf(disks);
    }

    /** The serial log file: the one set, else {@code /tmp/jvirt-<name>.log}. */
    public Path serialFile() {
        return serialFile != null ? serialFile : Path.of("/tmp", "jvirt-" + name + ".log");
    }

    /** The kernel command line carrying the workload settings, also usable with QEMU's {@code -append}. */
    public String kernelCmdline() {
        validate();
        StringBuilder line = new StringBuilder("quiet console=ttyS0 jvirt.fill=" + fillMiB + " jvirt.dirty="
                + dirtyMibps + " jvirt.seed=" + Long.toUnsignedString(seed) + " jvirt.sweep=" + sweepPercent);
        if (diskWorkload) {
            line.append(" jvirt.disk=")
                    .append(workloadDevice())
                    .append(" jvirt.disk_mibps=")
                    .append(diskMibps)
                    .append(" jvirt.disk_mib=")
                    .append(diskRegionMiB);
        }
        if (ip != null) {
            line.append(" jvirt.ip=").append(ip);
        }
        if (gateway != null) {
            line.append(" jvirt.gw=").append(gateway);
        }
        return line.toString();
    }

    /**
     * The domain XML.
     *
     * @throws VirtException (INVALID_ARG) when no image is set or the sizes do not fit
     */
    public String toXml() {
        String cmdline = kernelCmdline();
        if (image == null) {
            throw invalid("guest '" + name + "' has no image: build one with GuestBuilder.ensureBuilt()");
        }
        String serial = escape(serialFile().toAbsolutePath().toString());
        return "<domain type='" + (kvm ? "kvm" : "qemu") + "'>\n"
                + "  <name>" + name + "</name>\n"
                + "  <memory unit='MiB'>" + memoryMiB + "</memory>\n"
                + "  <vcpu>1</vcpu>\n"
                + "  <os>\n"
                + "    <type arch='x86_64' machine='pc'>hvm</type>\n"
                + "    <kernel>" + escape(image.kernel().toAbsolutePath().toString()) + "</kernel>\n"
                + "    <initrd>" + escape(image.initrd().toAbsolutePath().toString()) + "</initrd>\n"
                + "    <cmdline>" + escape(cmdline) + "</cmdline>\n"
                + "  </os>\n"
                + "  <features>\n"
                + "    <acpi/>\n"
                + "  </features>\n"
                + "  <on_poweroff>destroy</on_poweroff>\n"
                + "  <on_reboot>restart</on_reboot>\n"
                + "  <on_crash>destroy</on_crash>\n"
                + "  <devices>\n"
                + "    <emulator>" + EMULATOR + "</emulator>\n"
                + devices()
                + "    <serial type='file'>\n"
                + "      <source path='" + serial + "' append='on'/>\n"
                + "      <target port='0'/>\n"
                + "    </serial>\n"
                + "    <console type='file'>\n"
                + "      <source path='" + serial + "' append='on'/>\n"
                + "      <target type='serial' port='0'/>\n"
                + "    </console>\n"
                + "    <memballoon model='none'/>\n"
                + "  </devices>\n"
                + "</domain>\n";
    }

    /** Disks, the controllers their buses need, then the NIC: libvirt's order of {@code <devices>}. */
    private String devices() {
        StringBuilder b = new StringBuilder();
        disks.forEach(d -> b.append(d.toXml()));
        if (disks.stream().anyMatch(d -> d.bus() == GuestDisk.Bus.SCSI)) {
            b.append("    <controller type='scsi' index='0' model='virtio-scsi'/>\n");
        }
        if (disks.stream().anyMatch(d -> d.bus() == GuestDisk.Bus.SATA)) {
            b.append("    <controller type='sata' index='0'/>\n");
        }
        if (nic != null) {
            b.append(nic.toXml());
        }
        return b.toString();
    }

    private String workloadDevice() {
        if (diskDevice != null) {
            return diskDevice;
        }
        if (disks.isEmpty()) {
            throw invalid("guest '" + name + "' runs the disk workload but has no disk: add one or name the device");
        }
        return disks.getFirst().guestDevice();
    }

    private void validate() {
        if (memoryMiB < 128 || memoryMiB > 1024 * 1024) {
            throw invalid("guest memory must be 128 MiB to 1 TiB: " + memoryMiB);
        }
        if (fillMiB < 0 || fillMiB > memoryMiB - HEADROOM_MIB) {
            throw invalid("fill of " + fillMiB + " MiB does not fit a " + memoryMiB + " MiB guest (at most "
                    + (memoryMiB - HEADROOM_MIB) + ")");
        }
        if (sweepPercent < 1 || sweepPercent > 90) {
            throw invalid("sweep share must be 1 to 90 percent: " + sweepPercent);
        }
        if (dirtyMibps < 0 || dirtyMibps > 100_000) {
            throw invalid("dirty rate must be 0 to 100000 MiB/s: " + dirtyMibps);
        }
        if (diskWorkload) {
            if (diskDevice != null && !DEVICE.matcher(diskDevice).matches()) {
                throw invalid("disk workload device must be a /dev node such as /dev/vda: '" + diskDevice + "'");
            }
            if (diskMibps < 0 || diskMibps > 10_000) {
                throw invalid("disk write rate must be 0 to 10000 MiB/s: " + diskMibps);
            }
            if (diskRegionMiB < 1 || diskRegionMiB > 1024 * 1024) {
                throw invalid("disk workload region must be 1 MiB to 1 TiB: " + diskRegionMiB);
            }
        }
        if (ip != null) {
            int slash = ip.indexOf('/');
            if (slash < 0
                    || !isIpv4(ip.substring(0, slash))
                    || !ip.substring(slash + 1).matches("\\d{1,2}")
                    || Integer.parseInt(ip.substring(slash + 1)) > 32) {
                throw invalid("guest address must be IPv4 with a prefix length, such as 10.0.0.2/24: '" + ip + "'");
            }
        }
        if (gateway != null) {
            if (ip == null) {
                throw invalid("guest '" + name + "' has a gateway but no address");
            }
            if (!isIpv4(gateway)) {
                throw invalid("gateway must be an IPv4 address: '" + gateway + "'");
            }
        }
    }

    private static boolean isIpv4(String text) {
        Matcher m = IPV4.matcher(text);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }

    private static VirtException invalid(String detail) {
        return VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, detail);
    }

    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\'' -> b.append("&apos;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
