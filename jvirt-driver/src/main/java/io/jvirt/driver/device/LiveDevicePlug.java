package io.jvirt.driver.device;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DeviceDef;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DomainDef;
import io.jvirt.config.InterfaceDef;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.lifecycle.DeviceRemoval;
import io.jvirt.driver.process.DiskBlockdevs;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.qmp.Monitor;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;

/**
 * The QEMU side of unplug (hot-plug itself is {@link LiveDiskPlug} and {@link LiveNicPlug}): removes any device by
 * its alias, as libvirt drives QEMU ({@code device_del}, then DEVICE_DELETED and the backends' removal: a disk's
 * block nodes, a NIC's netdev, with which its tap goes).
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
        // Every node of the disk's chain goes once the guest let go, top first, as the names say.
        List<String> nodes = device instanceof DiskDef disk ? DiskBlockdevs.nodeNames(disk) : List.of();
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
}
