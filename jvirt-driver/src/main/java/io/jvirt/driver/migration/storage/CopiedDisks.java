package io.jvirt.driver.migration.storage;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DiskDevice;
import io.jvirt.config.DomainDef;
import io.jvirt.driver.migration.cookie.CookieNbd;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.qmp.BlockCommands;
import io.jvirt.qmp.BlockDevice;
import io.jvirt.qmp.Monitor;
import java.util.ArrayList;
import java.util.List;

/**
 * Which disks a storage migration copies, as libvirt chooses them: the disks {@code migrate_disks} names, or else
 * every disk that has a source, is writable (a cdrom never is) and is not shareable (other hosts already see it). Names in {@code migrate_disks} that are no disk
 * are refused in Begin, and a named disk that cannot be copied (read-only, empty) where the exports are made.
 *
 * <p>Stateless; any thread.
 */
public final class CopiedDisks {
    private CopiedDisks() {}

    /** The disks of {@code def} to copy, in the domain's order. */
    public static List<DiskDef> of(DomainDef def, List<String> migrateDisks) {
        List<DiskDef> out = new ArrayList<>();
        for (DiskDef disk : def.disks()) {
            if (migrateDisks.isEmpty()
                    ? copyable(disk) && !disk.shareable()
                    : migrateDisks.contains(disk.targetDev())) {
                out.add(disk);
            }
        }
        return out;
    }

    /** Begin's check: every name in {@code migrateDisks} is a disk of {@code def}. */
    public static void checkNamed(DomainDef def, List<String> migrateDisks) {
        for (String target : migrateDisks) {
            if (def.disks().stream().noneMatch(d -> d.targetDev().equals(target))) {
                throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "disk target " + target + " not found");
            }
        }
    }

    /** The check before a disk is exported: only a writable disk with an image can be copied. */
    static void checkCopyable(DiskDef disk) {
        if (!copyable(disk)) {
            throw VirtException.of(
                    ErrorCode.OPERATION_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    "Cannot migrate empty or read-only disk " + disk.targetDev());
        }
    }

    private static boolean copyable(DiskDef disk) {
        return disk.sourceFile() != null && !disk.readonly() && disk.device() != DiskDevice.CDROM;
    }

    /**
     * The {@code nbd} cookie section the source offers: each copied disk with its virtual size as QEMU reports it
     * ({@code query-block}), no port (the source has no server).
     */
    public static CookieNbd offer(Monitor monitor, String domain, List<DiskDef> disks) {
        List<BlockDevice> devices = MonitorCalls.call(domain, new BlockCommands(monitor)::queryBlock);
        List<CookieNbd.Disk> out = new ArrayList<>();
        for (DiskDef disk : disks) {
            String node = NbdExports.nodeOf(devices, disk);
            for (BlockDevice d : devices) {
                if (node.equals(d.nodeName())) {
                    out.add(new CookieNbd.Disk(disk.targetDev(), d.virtualSize()));
                    break;
                }
            }
        }
        return new CookieNbd(0, out);
    }

    /** libvirt's name for a disk's drive, which is also its NBD export's name and its mirror job's id. */
    public static String driveAlias(DiskDef disk) {
        if (disk.alias() == null) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "disk " + disk.targetDev() + " has no alias");
        }
        return "drive-" + disk.alias();
    }
}
