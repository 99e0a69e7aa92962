package io.jvirt.driver.security;

import io.jvirt.config.BackingStore;
import io.jvirt.config.CharDeviceDef;
import io.jvirt.config.CharSourceType;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DomainDef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host files a guest's QEMU opens itself, with how: what libvirt's DAC driver labels for a domain. Disk images
 * (read-only for {@code <readonly/>} disks) and every image of their backing chains (read-only), the direct kernel
 * and initrd (read-only), serial and console files, unix sockets QEMU connects to, and /dev/userfaultfd, which
 * post-copy migration needs once unprivileged userfaultfd is off (Debian's default), as libvirt gives it. Taps,
 * vhost-net, migration and save pipes are handed to QEMU as fds and need nothing; the monitor lives in the domain's
 * private directory. Pure but for looking whether /dev/userfaultfd exists.
 */
public final class GuestFiles {
    static final Path USERFAULTFD = Path.of("/dev/userfaultfd");

    /** A file QEMU opens, {@code readOnly} when it never writes it. */
    public record Use(Path path, boolean readOnly) {}

    private GuestFiles() {}

    public static List<Use> of(DomainDef def) {
        List<Use> out = new ArrayList<>();
        for (DiskDef disk : def.disks()) {
            out.addAll(ofDisk(disk));
        }
        if (def.os().kernel() != null) {
            out.add(new Use(Path.of(def.os().kernel()), true));
        }
        if (def.os().initrd() != null) {
            out.add(new Use(Path.of(def.os().initrd()), true));
        }
        List<CharDeviceDef> chars = new ArrayList<>(def.serials());
        chars.addAll(def.consoles());
        for (CharDeviceDef c : chars) {
            if (c.sourcePath() == null) {
                continue;
            }
            if (c.type() == CharSourceType.FILE
                    || c.type() == CharSourceType.UNIX && "connect".equals(c.sourceMode())) {
                out.add(new Use(Path.of(c.sourcePath()), false));
            }
        }
        if (Files.exists(USERFAULTFD)) {
            out.add(new Use(USERFAULTFD, false));
        }
        return out;
    }

    /** A disk's image and its backing chain; nothing for an empty drive. */
    public static List<Use> ofDisk(DiskDef disk) {
        List<Use> out = new ArrayList<>();
        if (disk.source() == null || disk.source().path() == null) {
            return out;
        }
        out.add(new Use(Path.of(disk.source().path()), disk.readonly()));
        for (BackingStore b : BackingStore.images(disk.backingStore())) {
            if (b.source().path() != null) {
                out.add(new Use(Path.of(b.source().path()), true));
            }
        }
        return out;
    }

    /** Whether {@code use} is a file QEMU writes but may have to create (a serial or console log). */
    static boolean createdIfMissing(Use use, DomainDef def) {
        if (use.readOnly()) {
            return false;
        }
        String path = use.path().toString();
        return def.serials().stream().anyMatch(c -> c.type() == CharSourceType.FILE && path.equals(c.sourcePath()))
                || def.consoles().stream()
                        .anyMatch(c -> c.type() == CharSourceType.FILE && path.equals(c.sourcePath()));
    }
}
