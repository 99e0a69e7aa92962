package io.jvirt.driver.process;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.ControllerDef;
import io.jvirt.config.DiskBus;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DiskDevice;
import io.jvirt.config.DiskFormat;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DriveAddress;
import io.jvirt.qmp.JsonText;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The disks' part of QEMU's argv, as libvirt 11 writes it: the SCSI and SATA controllers first, then for each disk
 * its {@code -blockdev} nodes ({@link DiskBlockdevs}) and its {@code -device} ({@link DiskDeviceProps}), all in
 * JSON syntax. Boot indexes follow {@code <boot order>}, or else {@code <os><boot dev>}: the first cdrom and the
 * first hard disk get the place of {@code cdrom} and {@code hd} in that list. Stateless.
 */
public final class DiskCommandLine {
    private DiskCommandLine() {}

    /** Appends the disks' options of the live definition {@code def} to {@code argv}. */
    public static void add(DomainDef def, List<String> argv) {
        String machine = def.os().machine() == null ? "pc" : def.os().machine();
        for (DiskDef disk : def.disks()) {
            check(disk, machine);
        }
        for (ControllerDef c : def.devicesOf(ControllerDef.class)) {
            device(argv, DiskDeviceProps.controller(c, machine));
        }
        TreeSet<Integer> sata = new TreeSet<>();
        def.disks().stream()
                .filter(d -> d.bus() == DiskBus.SATA)
                .forEach(d -> sata.add(DriveAddress.of(d.info()).controller()));
        for (int index : sata) {
            Map<String, Object> ahci = DiskDeviceProps.sataController(index, machine);
            if (ahci != null) {
                device(argv, ahci);
            }
        }
        Map<String, Integer> boot = bootIndexes(def);
        for (DiskDef disk : def.disks()) {
            for (Map<String, Object> node : DiskBlockdevs.nodes(disk)) {
                argv.add("-blockdev");
                argv.add(JsonText.write(node));
            }
            device(argv, DiskDeviceProps.disk(disk, machine, boot.get(disk.alias())));
        }
    }

    /** Boot index by disk alias. */
    static Map<String, Integer> bootIndexes(DomainDef def) {
        Map<String, Integer> out = new HashMap<>();
        List<String> osBoot = def.os().bootDevices();
        int cdrom = osBoot.indexOf("cdrom") + 1;
        int hd = osBoot.indexOf("hd") + 1;
        for (DiskDef disk : def.disks()) {
            if (disk.bootOrder() != null) {
                out.put(disk.alias(), disk.bootOrder());
            } else if (disk.device() == DiskDevice.CDROM && cdrom > 0) {
                out.put(disk.alias(), cdrom);
                cdrom = 0;
            } else if (disk.device() == DiskDevice.DISK && hd > 0) {
                out.put(disk.alias(), hd);
                hd = 0;
            }
        }
        return out;
    }

    private static void check(DiskDef disk, String machine) {
        if (disk.bus() == DiskBus.IDE && DiskDeviceProps.isQ35(machine)) {
            throw unsupported("IDE controllers are unsupported for this QEMU binary or machine type (disk "
                    + disk.targetDev() + " on machine type '" + machine + "')");
        }
        if (disk.shareable() && !disk.readonly() && disk.format() != null && disk.format() != DiskFormat.RAW) {
            throw unsupported(
                    "shared access for disk '" + disk.targetDev() + "' requires use of supported storage format");
        }
    }

    private static void device(List<String> argv, Map<String, Object> props) {
        argv.add("-device");
        argv.add(JsonText.write(props));
    }

    private static VirtException unsupported(String detail) {
        return VirtException.of(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU, detail);
    }
}
