package io.jvirt.driver.process;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.ControllerDef;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DiskDevice;
import io.jvirt.config.DriveAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The QEMU device of a disk or disk controller as libvirt describes it for {@code -device} JSON: virtio-blk-pci;
 * scsi-hd/scsi-cd on a virtio-scsi-pci controller; ide-hd/ide-cd on IDE or on SATA (the machine's own AHCI on q35,
 * an {@code ahci} device on pc). Stateless.
 */
public final class DiskDeviceProps {
    private DiskDeviceProps() {}

    /**
     * The properties of {@code disk}'s guest device (a live disk, with its alias and, off virtio, its drive address),
     * in libvirt's key order, as plain Java values: {@code -device} JSON through {@link io.jvirt.qmp.JsonText}, or
     * the arguments of QMP {@code device_add} after the disk's {@link DiskBlockdevs#nodes nodes} exist.
     * {@code machine} is the machine type (q35 puts SATA disks on its built-in AHCI, bus {@code ide});
     * {@code bootIndex} is null for none.
     *
     * @throws VirtException CONFIG_UNSUPPORTED for what QEMU cannot do (a read-only IDE or SATA hard disk)
     */
    public static Map<String, Object> disk(DiskDef disk, String machine, Integer bootIndex) {
        boolean cdrom = disk.device() == DiskDevice.CDROM;
        DriveAddress a = DriveAddress.of(disk.info());
        Map<String, Object> p = new LinkedHashMap<>();
        switch (disk.bus()) {
            case VIRTIO -> {
                p.put("driver", "virtio-blk-pci");
                p.putAll(PciAddresses.props(disk.info(), machine));
            }
            case SATA -> {
                refuseReadonlyHardDisk(disk, "sata");
                p.put("driver", cdrom ? "ide-cd" : "ide-hd");
                p.put(
                        "bus",
                        (a.controller() == 0 && isQ35(machine) ? "ide" : "sata" + a.controller()) + "." + a.unit());
            }
            case IDE -> {
                refuseReadonlyHardDisk(disk, "ide");
                p.put("driver", cdrom ? "ide-cd" : "ide-hd");
                p.put("bus", "ide." + a.bus());
                p.put("unit", a.unit());
            }
            case SCSI -> {
                p.put("driver", cdrom ? "scsi-cd" : "scsi-hd");
                p.put("bus", "scsi" + a.controller() + ".0");
                p.put("channel", a.bus());
                p.put("scsi-id", a.target());
                p.put("lun", a.unit());
                if (!cdrom) {
                    p.put("device_id", disk.serial() != null ? disk.serial() : "drive-" + disk.alias());
                }
            }
        }
        if (disk.shareable()) {
            p.put("share-rw", true);
        }
        String drive = DiskBlockdevs.topNodeName(disk);
        if (drive != null) {
            p.put("drive", drive);
        }
        p.put("id", disk.alias());
        if (bootIndex != null) {
            p.put("bootindex", bootIndex);
        }
        DiskCacheMode cache = DiskCacheMode.of(disk.driver().cache());
        if (cache != null && !cdrom) {
            p.put("write-cache", cache.writeback() ? "on" : "off");
        }
        if (disk.serial() != null) {
            p.put("serial", disk.serial());
        }
        return p;
    }

    /**
     * The SCSI host adapter's device: virtio-scsi-pci (or lsi for model lsilogic) with the controller's alias, in
     * its PCI slot when the live definition has one ({@code -device}, or {@code device_add} for hot-plug).
     */
    public static Map<String, Object> controller(ControllerDef c, String machine) {
        String driver = switch (c.model() == null ? ControllerDef.VIRTIO_SCSI : c.model()) {
            case ControllerDef.VIRTIO_SCSI -> "virtio-scsi-pci";
            case "lsilogic" -> "lsi";
            default ->
                throw VirtException.of(
                        ErrorCode.CONFIG_UNSUPPORTED,
                        ErrorDomain.QEMU,
                        "SCSI controller model '" + c.model() + "' is not supported (virtio-scsi, lsilogic)");
        };
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("driver", driver);
        p.put("id", c.alias());
        p.putAll(PciAddresses.props(c.info(), machine));
        return p;
    }

    /** The AHCI controller that SATA disks of controller {@code index} sit on, or null when the machine has it. */
    public static Map<String, Object> sataController(int index, String machine) {
        if (index == 0 && isQ35(machine)) {
            return null;
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("driver", "ahci");
        p.put("id", "sata" + index);
        return p;
    }

    /** Whether {@code machine} is a q35 machine type (PCIe root bus {@code pcie.0}, built-in AHCI). */
    public static boolean isQ35(String machine) {
        return machine.startsWith("q35") || machine.startsWith("pc-q35");
    }

    private static void refuseReadonlyHardDisk(DiskDef disk, String bus) {
        if (disk.readonly() && disk.device() == DiskDevice.DISK) {
            throw VirtException.of(
                    ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU, "readonly " + bus + " disks are not supported");
        }
    }
}
