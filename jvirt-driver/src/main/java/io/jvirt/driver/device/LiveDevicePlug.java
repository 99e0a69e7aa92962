package io.jvirt.driver.device;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DeviceDef;
import io.jvirt.config.DiskBus;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DiskDevice;
import io.jvirt.config.DiskFormat;
import io.jvirt.config.DomainDef;
import io.jvirt.config.InterfaceDef;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.lifecycle.DeviceRemoval;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.qmp.Monitor;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The QEMU side of hot-plug, one method per kind of device: plugs a disk or an interface into a running guest and
 * unplugs any device by its alias, as libvirt drives QEMU ({@code blockdev-add}/{@code netdev_add}, then
 * {@code device_add}; {@code device_del}, then DEVICE_DELETED and the backends' removal).
 *
 * <p>Threading: the caller's thread, holding the domain's job; it waits for QEMU's replies and, on unplug, for the
 * DEVICE_DELETED event that the monitor's event thread hands to the run.
 */
final class LiveDevicePlug {
    /** How long a detach waits for the guest to let go, as libvirt's QEMU_UNPLUG_TIMEOUT; later is asynchronous. */
    static final long UNPLUG_TIMEOUT_MILLIS = 5_000;

    private static final Logger LOG = System.getLogger(LiveDevicePlug.class.getName());

    private final DeviceRemoval removal;

    LiveDevicePlug(DeviceRemoval removal) {
        this.removal = removal;
    }

    /** Plugs {@code disk} (alias set) into {@code run}'s guest; only virtio disks can be hot-plugged. */
    void attachDisk(DomainObj dom, QemuRun run, DiskDef disk) {
        if (disk.device() != DiskDevice.DISK) {
            throw unsupported("disk device='" + disk.device().xml() + "' cannot be hotplugged.");
        }
        if (disk.bus() != DiskBus.VIRTIO) {
            throw unsupported("disk bus '" + disk.bus().xml() + "' cannot be hotplugged.");
        }
        Monitor monitor = run.monitor();
        List<Map<String, Object>> nodes = minimalBlockdevNodes(disk);
        List<String> added = new ArrayList<>();
        try {
            for (Map<String, Object> node : nodes) {
                MonitorCalls.run(dom.name(), () -> monitor.execute("blockdev-add", node));
                added.addFirst((String) node.get("node-name"));
            }
            Map<String, Object> device = new LinkedHashMap<>();
            device.put("driver", "virtio-blk-pci");
            device.put("drive", added.getFirst());
            device.put("id", disk.alias());
            MonitorCalls.run(dom.name(), () -> monitor.execute("device_add", device));
        } catch (VirtException e) {
            deleteNodesQuietly(dom, monitor, added);
            throw e;
        }
    }

    /**
     * The block nodes of a hot-plugged disk: a {@code file} node and a format node on it, named after the alias.
     * A minimal graph (no cache, discard or detect-zeroes settings) until the command line's blockdev builders
     * serve hot-plug too.
     */
    static List<Map<String, Object>> minimalBlockdevNodes(DiskDef disk) {
        String storage = "libvirt-" + disk.alias() + "-storage";
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("driver", "file");
        file.put("filename", disk.sourceFile());
        file.put("node-name", storage);
        file.put("auto-read-only", true);
        file.put("discard", "unmap");
        Map<String, Object> format = new LinkedHashMap<>();
        format.put("node-name", "libvirt-" + disk.alias() + "-format");
        format.put("read-only", disk.readonly());
        format.put(
                "driver",
                disk.format() == null ? DiskFormat.RAW.xml() : disk.format().xml());
        format.put("file", storage);
        return List.of(file, format);
    }

    /**
     * Plugs {@code nic} (alias set) into {@code run}'s guest: a user-mode netdev {@code host<alias>} and the NIC
     * on it, as the command line does for {@code type='user'}.
     */
    void attachInterface(DomainObj dom, QemuRun run, InterfaceDef nic) {
        Monitor monitor = run.monitor();
        String netdev = "host" + nic.alias();
        MonitorCalls.run(dom.name(), () -> monitor.execute("netdev_add", Map.of("type", "user", "id", netdev)));
        try {
            Map<String, Object> device = new LinkedHashMap<>();
            device.put("driver", nicModel(nic));
            device.put("netdev", netdev);
            device.put("id", nic.alias());
            device.put("mac", nic.mac());
            MonitorCalls.run(dom.name(), () -> monitor.execute("device_add", device));
        } catch (VirtException e) {
            try {
                monitor.execute("netdev_del", Map.of("id", netdev));
            } catch (IOException cleanup) {
                LOG.log(Level.WARNING, "domain {0}: removing netdev {1} failed", dom.name(), netdev);
            }
            throw e;
        }
    }

    private static String nicModel(InterfaceDef nic) {
        String model = nic.modelType();
        return model == null || model.equals("virtio") ? "virtio-net-pci" : model;
    }

    /**
     * Asks QEMU to remove {@code device} (of the live definition) and waits up to {@link #UNPLUG_TIMEOUT_MILLIS}
     * for the guest to let go. Returns true when it is gone (backends released, live definition and status file
     * updated, DEVICE_REMOVED emitted); false when the guest has not answered yet, in which case the removal
     * finishes whenever QEMU reports it, as with libvirt.
     */
    boolean detach(DomainObj dom, QemuRun run, DeviceDef device) {
        String alias = device.alias();
        if (alias == null) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "device without alias cannot be detached");
        }
        Monitor monitor = run.monitor();
        List<String> nodes = device instanceof DiskDef ? BlockNodes.of(dom, monitor, alias) : List.of();
        run.expectUnplug(alias, nodes);
        try {
            MonitorCalls.run(dom.name(), () -> monitor.execute("device_del", Map.of("id", alias)));
        } catch (VirtException e) {
            forgetUnplug(run, alias);
            throw e;
        }
        boolean gone;
        try {
            gone = run.awaitUnplug(alias, UNPLUG_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtException.of(
                    ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted waiting for removal of " + alias);
        }
        if (gone) {
            removal.finish(dom, run, alias);
        } else {
            LOG.log(
                    Level.INFO,
                    "domain {0}: device {1} removal requested, the guest has not let go yet",
                    dom.name(),
                    alias);
        }
        return gone;
    }

    private static void forgetUnplug(QemuRun run, String alias) {
        try {
            run.awaitUnplug(alias, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        run.takeUnplugNodes(alias);
    }

    private static void deleteNodesQuietly(DomainObj dom, Monitor monitor, List<String> nodes) {
        for (String node : nodes) {
            try {
                monitor.execute("blockdev-del", Map.of("node-name", node));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "domain {0}: removing block node {1} failed", dom.name(), node);
            }
        }
    }

    /** The live definition's next free {@code netN} alias (one above the highest, as libvirt counts). */
    static String nextNetAlias(DomainDef live) {
        int next = 0;
        for (InterfaceDef n : live.interfaces()) {
            String a = n.alias();
            if (a != null && a.matches("net\\d+")) {
                next = Math.max(next, Integer.parseInt(a.substring(3)) + 1);
            }
        }
        return "net" + next;
    }

    /** libvirt's alias for a disk by bus and target index ({@code vdb} is {@code virtio-disk1}). */
    static String diskAlias(DiskDef disk) {
        int unit = targetIndex(disk.targetDev());
        return switch (disk.bus()) {
            case VIRTIO -> "virtio-disk" + unit;
            case SATA -> "sata0-0-" + unit;
            case IDE -> "ide0-" + unit / 2 + "-" + unit % 2;
            case SCSI -> "scsi0-0-0-" + unit;
            default -> disk.bus().xml() + "-disk" + unit;
        };
    }

    /** {@code vda} 0, {@code vdz} 25, {@code vdaa} 26: the letters after the two-letter prefix, as libvirt counts. */
    static int targetIndex(String dev) {
        int index = 0;
        for (int i = 2; i < dev.length() && dev.charAt(i) >= 'a' && dev.charAt(i) <= 'z'; i++) {
            index = (index + (i > 2 ? 1 : 0)) * 26 + (dev.charAt(i) - 'a');
        }
        return index;
    }

    private static VirtException unsupported(String detail) {
        return VirtException.of(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU, detail);
    }
}
