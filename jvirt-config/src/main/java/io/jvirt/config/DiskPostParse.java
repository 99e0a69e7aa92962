package io.jvirt.config;

import static io.jvirt.config.ConfigErrors.xml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What libvirt does to disks once the whole definition is read: IDE, SATA and SCSI disks without an address get
 * the drive address their target name implies, a SCSI controller (model virtio-scsi) is added for each controller
 * index a SCSI disk uses but no {@code <controller>} declares, targets and boot orders must be unique, and
 * per-device boot orders cannot be mixed with {@code <os><boot dev=>}. Stateless.
 */
final class DiskPostParse {
    // libvirt's default layout: a narrow SCSI bus has 7 units, an AHCI controller 6 ports, IDE 2 buses of 2.
    private static final int SCSI_UNITS = 7;
    private static final int SATA_UNITS = 6;

    private DiskPostParse() {}

    static List<DeviceDef> apply(List<DeviceDef> devices, OsDef os) {
        List<DeviceDef> out = new ArrayList<>(devices.size() + 1);
        Map<String, DiskDef> targets = new HashMap<>();
        Map<Integer, DiskDef> bootOrders = new HashMap<>();
        Set<Integer> scsiControllers = new TreeSet<>();
        Set<Integer> declared = new TreeSet<>();
        int lastDisk = -1;
        for (DeviceDef d : devices) {
            if (d instanceof DiskDef disk) {
                disk = withAddress(disk);
                checkUnique(disk, targets, bootOrders);
                if (disk.bus() == DiskBus.SCSI) {
                    scsiControllers.add(DriveAddress.of(disk.info()).controller());
                }
                lastDisk = out.size();
                out.add(disk);
            } else if (d instanceof ControllerDef c) {
                declared.add(c.index());
                out.add(
                        c.model() == null
                                ? new ControllerDef(c.index(), ControllerDef.VIRTIO_SCSI, c.info(), c.unknown())
                                : c);
            } else {
                out.add(d);
            }
        }
        if (!bootOrders.isEmpty() && !os.bootDevices().isEmpty()) {
            throw xml("per-device boot elements cannot be used together with os/boot elements");
        }
        scsiControllers.removeAll(declared);
        List<DeviceDef> added = new ArrayList<>();
        for (int index : scsiControllers) {
            added.add(new ControllerDef(index, ControllerDef.VIRTIO_SCSI, DeviceInfo.NONE, UnknownXml.NONE));
        }
        out.addAll(lastDisk + 1, added);
        return out;
    }

    private static void checkUnique(DiskDef disk, Map<String, DiskDef> targets, Map<Integer, DiskDef> bootOrders) {
        DiskDef same = targets.putIfAbsent(disk.targetDev(), disk);
        if (same != null) {
            throw xml("target '" + disk.targetDev() + "' duplicated for disk sources '" + name(same) + "' and '"
                    + name(disk) + "'");
        }
        if (disk.bootOrder() != null && bootOrders.putIfAbsent(disk.bootOrder(), disk) != null) {
            throw xml("boot order '" + disk.bootOrder() + "' used for more than one device");
        }
    }

    private static String name(DiskDef disk) {
        return disk.sourceFile() == null ? "" : disk.sourceFile();
    }

    /** {@code disk} with the drive address its target implies when it needs one and has none. */
    static DiskDef withAddress(DiskDef disk) {
        if (disk.bus() == DiskBus.VIRTIO) {
            return disk;
        }
        XmlElement given = disk.info().address();
        if (given != null) {
            if (DriveAddress.of(disk.info()) == null) {
                throw xml(
                        "disk '" + disk.targetDev() + "' on bus '" + disk.bus().xml() + "' needs an address of type"
                                + " 'drive', not '" + given.attribute("type") + "'");
            }
            return disk;
        }
        int idx = DiskNames.index(disk.targetDev());
        if (idx < 0) {
            throw xml("Unknown disk name '" + disk.targetDev() + "' and no address specified");
        }
        DriveAddress a = switch (disk.bus()) {
            case SCSI -> new DriveAddress(idx / SCSI_UNITS, 0, 0, idx % SCSI_UNITS);
            case SATA -> new DriveAddress(idx / SATA_UNITS, 0, 0, idx % SATA_UNITS);
            case IDE -> new DriveAddress(idx / 4, (idx % 4) / 2, 0, idx % 2);
            case VIRTIO -> throw new IllegalStateException("virtio disks have PCI addresses");
        };
        return disk.withInfo(new DeviceInfo(disk.info().alias(), a.toXml()));
    }
}
