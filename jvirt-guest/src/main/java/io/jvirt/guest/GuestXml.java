package io.jvirt.guest;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Builds the libvirt domain XML of a test guest: direct kernel boot of a {@link GuestImage}, one vCPU, ACPI
 * (for {@code system_powerdown}), the serial console appended to a file (so the log continues across
 * migrations), and nothing else: no disk, network, graphics or balloon. The workload's settings travel on the
 * kernel command line. A mutable builder for one thread; {@link #toXml()} may be called repeatedly.
 */
public final class GuestXml {
    /** The only emulator the test setups use. */
    public static final String EMULATOR = "/usr/bin/qemu-system-x86_64";
    // The name ends up in a default file name, so it stays a plain word.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    // Room for the kernel, page tables and the workload's bookkeeping beside the filled memory.
    private static final long HEADROOM_MIB = 96;

    private final String name;
    private long memoryMiB = 512;
    private long fillMiB = 384;
    private long dirtyMibps;
    private long seed = 1;
    private long sweepPercent = 25;
    private Path serialFile;
    private boolean kvm;
    private GuestImage image;

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

    public String name() {
        return name;
    }

    /** The serial log file: the one set, else {@code /tmp/jvirt-<name>.log}. */
    public Path serialFile() {
        return serialFile != null ? serialFile : Path.of("/tmp", "jvirt-" + name + ".log");
    }

    /** The kernel command line carrying the workload settings, also usable with QEMU's {@code -append}. */
    public String kernelCmdline() {
        validate();
        return "quiet console=ttyS0 jvirt.fill=" + fillMiB + " jvirt.dirty=" + dirtyMibps + " jvirt.seed="
                + Long.toUnsignedString(seed) + " jvirt.sweep=" + sweepPercent;
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
    }

    private static VirtException invalid(String detail) {
        return VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, detail);
    }

    private static String escape(String text) {
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
