package io.jvirt.guest;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A disk of a test guest as {@link GuestXml} writes it: {@code <disk type='file|block' device='disk'>} with a
 * qemu driver of format raw or qcow2, its source file or block device, and its target on a virtio, SCSI
 * (virtio-scsi) or SATA bus. A value; any thread.
 *
 * @param type   where the data lives: a file or a host block device
 * @param source the image file or block device on the host, absolute
 * @param format the image format
 * @param bus    the bus the guest sees it on
 * @param target the target dev, {@code vda}, {@code sdb}, …: what libvirt names the disk by
 */
public record GuestDisk(Type type, Path source, Format format, Bus bus, String target) {
    private static final Pattern TARGET = Pattern.compile("(vd|sd|hd)[a-z]{1,3}");

    /** {@code <disk type=…>}. */
    public enum Type {
        FILE,
        BLOCK;

        String xml() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code <driver name='qemu' type=…>}. */
    public enum Format {
        RAW,
        QCOW2;

        String xml() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * {@code <target bus=…>}. The test guest's kernel drives virtio and virtio-scsi disks; it has no AHCI driver,
     * so a SATA disk is for what the host shows (domblklist and the like), not for the disk workload.
     */
    public enum Bus {
        VIRTIO("vd"),
        SCSI("sd"),
        SATA("sd");

        private final String prefix;

        Bus(String prefix) {
            this.prefix = prefix;
        }

        String xml() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public GuestDisk {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(bus, "bus");
        Objects.requireNonNull(target, "target");
        if (!source.isAbsolute()) {
            throw invalid("disk source must be an absolute path: " + source);
        }
        if (!TARGET.matcher(target).matches() || !target.startsWith(bus.prefix)) {
            throw invalid("disk target '" + target + "' does not fit bus " + bus.xml() + " (expected " + bus.prefix
                    + "a, " + bus.prefix + "b, ...)");
        }
    }

    /** A raw image file on virtio as {@code vda}. */
    public static GuestDisk file(Path image) {
        return new GuestDisk(Type.FILE, image, Format.RAW, Bus.VIRTIO, "vda");
    }

    /** A host block device, raw, on virtio as {@code vda}. */
    public static GuestDisk block(Path device) {
        return new GuestDisk(Type.BLOCK, device, Format.RAW, Bus.VIRTIO, "vda");
    }

    /** This disk in {@code format}. */
    public GuestDisk format(Format format) {
        return new GuestDisk(type, source, format, bus, target);
    }

    /** This disk on {@code bus} as {@code target}. */
    public GuestDisk on(Bus bus, String target) {
        return new GuestDisk(type, source, format, bus, target);
    }

    /**
     * The device node the test guest sees the disk as: {@code /dev/<target>}. That holds for virtio disks (the
     * guest names them in PCI order, which is target order for disks libvirt places itself) and for the SCSI disks
     * of the one controller, in unit order.
     */
    public String guestDevice() {
        return "/dev/" + target;
    }

    /**
     * A disk from a command-line spec: {@code PATH[,format=raw|qcow2][,bus=virtio|scsi|sata][,type=file|block]
     * [,target=DEV]}. The target defaults to the bus's first name ({@code vda} or {@code sda}).
     *
     * @throws VirtException (INVALID_ARG) naming the part that is wrong
     */
    public static GuestDisk parse(String spec) {
        String[] parts = spec.split(",", -1);
        if (parts[0].isEmpty()) {
            throw invalid("disk spec must start with the image path: '" + spec + "'");
        }
        Type type = Type.FILE;
        Format format = Format.RAW;
        Bus bus = Bus.VIRTIO;
        String target = null;
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) {
                throw invalid("disk spec part '" + parts[i] + "' is not key=value in '" + spec + "'");
            }
            String key = parts[i].substring(0, eq);
            String value = parts[i].substring(eq + 1);
            switch (key) {
                case "type" -> type = pick(Type.class, value, key);
                case "format" -> format = pick(Format.class, value, key);
                case "bus" -> bus = pick(Bus.class, value, key);
                case "target" -> target = value;
                default -> throw invalid("unknown disk spec key '" + key + "' in '" + spec + "'");
            }
        }
        return new GuestDisk(type, Path.of(parts[0]), format, bus, target != null ? target : bus.prefix + "a");
    }

    String toXml() {
        return "    <disk type='" + type.xml() + "' device='disk'>\n"
                + "      <driver name='qemu' type='" + format.xml() + "'/>\n"
                + "      <source " + (type == Type.FILE ? "file" : "dev") + "='"
                + GuestXml.escape(source.toString()) + "'/>\n"
                + "      <target dev='" + target + "' bus='" + bus.xml() + "'/>\n"
                + "    </disk>\n";
    }

    private static <E extends Enum<E>> E pick(Class<E> type, String value, String key) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw invalid("unsupported disk " + key + " '" + value + "'");
    }

    private static VirtException invalid(String detail) {
        return VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, detail);
    }
}
