package io.jvirt.driver.device;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.ControllerDef;
import io.jvirt.config.DeviceDef;
import io.jvirt.config.DeviceInfo;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DiskDevice;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DriveAddress;
import io.jvirt.config.UnknownXml;
import io.jvirt.driver.process.DiskBlockdevs;
import io.jvirt.driver.process.DiskDeviceProps;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.qmp.Monitor;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hot-plugs a disk as the command line would have it ({@link DiskBlockdevs} nodes with {@code blockdev-add},
 * deepest backing image first, then {@link DiskDeviceProps} with {@code device_add}): virtio disks, and SCSI disks,
 * for which a missing controller is hot-plugged first, as libvirt does. A disk that fails half way leaves no node
 * behind; a controller plugged for it stays, as with libvirt.
 *
 * <p>Threading: the caller's thread, holding the domain's job.
 */
final class LiveDiskPlug {
    private static final Logger LOG = System.getLogger(LiveDiskPlug.class.getName());

    private LiveDiskPlug() {}

    /**
     * Plugs {@code disk} (alias set, chain complete) into the guest of {@code live}; returns what the live definition
     * gains, in order: a SCSI controller plugged for it, if any, then the disk.
     */
    static List<DeviceDef> attach(String domain, Monitor monitor, DomainDef live, DiskDef disk) {
        check(disk, live);
        String machine = live.os().machine() == null ? "pc" : live.os().machine();
        List<DeviceDef> added = new ArrayList<>();
        ControllerDef controller = missingController(live, disk);
        if (controller != null) {
            MonitorCalls.run(
                    domain, () -> monitor.execute("device_add", DiskDeviceProps.controller(controller, machine)));
            added.add(controller);
        }
        List<String> nodes = new ArrayList<>();
        try {
            for (Map<String, Object> node : DiskBlockdevs.nodes(disk)) {
                MonitorCalls.run(domain, () -> monitor.execute("blockdev-add", node));
                nodes.addFirst((String) node.get("node-name"));
            }
            MonitorCalls.run(
                    domain, () -> monitor.execute("device_add", DiskDeviceProps.disk(disk, machine, disk.bootOrder())));
        } catch (VirtException e) {
            deleteNodes(domain, monitor, nodes);
            throw e;
        }
        added.add(disk);
        return added;
    }

    private static void check(DiskDef disk, DomainDef live) {
        if (disk.device() == DiskDevice.CDROM) {
            // A cdrom is only ever given new media (update-device); a new drive cannot appear in a running guest.
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR,
                    ErrorDomain.QEMU,
                    "No device with bus '" + disk.bus().xml() + "' and target '" + disk.targetDev()
                            + "'. cdrom and floppy device hotplug isn't supported by libvirt");
        }
        switch (disk.bus()) {
            case VIRTIO -> {
                // a PCI device of its own
            }
            case SCSI -> {
                DriveAddress a = DriveAddress.of(disk.info());
                for (DiskDef d : live.disks()) {
                    if (a.equals(DriveAddress.of(d.info()))) {
                        throw VirtException.of(
                                ErrorCode.OPERATION_FAILED,
                                ErrorDomain.QEMU,
                                "Domain already contains a disk with that address");
                    }
                }
            }
            default ->
                throw VirtException.of(
                        ErrorCode.OPERATION_UNSUPPORTED,
                        ErrorDomain.QEMU,
                        "disk bus '" + disk.bus().xml() + "' cannot be hotplugged.");
        }
    }

    /** The SCSI controller {@code disk} needs and {@code live} lacks (alias set), or null. */
    static ControllerDef missingController(DomainDef live, DiskDef disk) {
        if (disk.bus() != io.jvirt.config.DiskBus.SCSI) {
            return null;
        }
        int index = DriveAddress.of(disk.info()).controller();
        for (ControllerDef c : live.devicesOf(ControllerDef.class)) {
            if (c.index() == index) {
                return null;
            }
        }
        return new ControllerDef(
                index, ControllerDef.VIRTIO_SCSI, new DeviceInfo("scsi" + index, null), UnknownXml.NONE);
    }

    /** Deletes {@code nodes} in order (top first), logging what QEMU refuses: the caller reports the real failure. */
    static void deleteNodes(String domain, Monitor monitor, List<String> nodes) {
        for (String node : nodes) {
            try {
                monitor.execute("blockdev-del", Map.of("node-name", node));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "domain {0}: removing block node {1} failed: {2}", domain, node, e.getMessage());
            }
        }
    }
}
