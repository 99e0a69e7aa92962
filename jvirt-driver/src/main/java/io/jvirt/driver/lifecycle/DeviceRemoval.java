package io.jvirt.driver.lifecycle;

import io.jvirt.api.DomainEvent;
import io.jvirt.config.DeviceDef;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DomainDef;
import io.jvirt.config.InterfaceDef;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.security.DomainLabels;
import io.jvirt.qmp.Monitor;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What follows QEMU's DEVICE_DELETED for a device the driver asked it to remove: the device's backends go (the
 * disk's block nodes, the interface's netdev {@code host<alias>}), the live definition loses the device, the status
 * file is written, a disk's images go back to their owners and DEVICE_REMOVED is emitted, as libvirt does after
 * {@code device_del}.
 *
 * <p>Threading: {@link #finish} on the thread holding the domain's job (the detach that waited for the event);
 * {@link #finishLate} on the monitor's event thread when the event came after the detach stopped waiting, which
 * takes the job itself.
 */
public final class DeviceRemoval {
    private static final Logger LOG = System.getLogger(DeviceRemoval.class.getName());

    private final DriverContext ctx;

    public DeviceRemoval(DriverContext ctx) {
        this.ctx = ctx;
    }

    /** Finishes the removal of {@code alias} from {@code run}; call holding the domain's job. */
    public void finish(DomainObj dom, QemuRun run, String alias) {
        List<String> nodes = run.takeUnplugNodes(alias);
        DomainDef live = dom.liveDef();
        DeviceDef device = live == null ? null : find(live, alias);
        if (device == null) {
            return;
        }
        releaseBackends(dom, run.monitor(), device, alias, nodes);
        List<DeviceDef> rest = new ArrayList<>(live.devices());
        rest.remove(device);
        DomainDef shrunk = live.withDevices(rest);
        boolean current = dom.withLock(() -> {
            if (!dom.setLiveDefIf(run, shrunk)) {
                return false;
            }
            ctx.saveStatus(dom);
            return true;
        });
        if (current) {
            if (device instanceof DiskDef disk) {
                DomainLabels.of(ctx.root(), ctx.settings()).restoreDisk(dom.name(), disk, shrunk);
            }
            ctx.events().emit(new DomainEvent.DeviceRemoved(dom.ref(), alias));
        }
    }

    /** The event came when no detach waited for it any more: finish under a job of our own, as libvirt does. */
    public void finishLate(DomainObj dom, QemuRun run, String alias) {
        try (DomainObj.Job _ = dom.beginJob("device removal", DomainLifecycle.JOB_WAIT_MILLIS)) {
            if (dom.isCurrent(run)) {
                finish(dom, run, alias);
            }
        }
    }

    private static DeviceDef find(DomainDef def, String alias) {
        for (DeviceDef d : def.devices()) {
            if (alias.equals(d.alias())) {
                return d;
            }
        }
        return null;
    }

    // Failures are logged, not raised: the device is gone from the guest either way, as libvirt reports it.
    private static void releaseBackends(
            DomainObj dom, Monitor monitor, DeviceDef device, String alias, List<String> nodes) {
        try {
            switch (device) {
                case DiskDef _ -> {
                    for (String node : nodes) {
                        monitor.execute("blockdev-del", Map.of("node-name", node));
                    }
                }
                case InterfaceDef _ -> monitor.execute("netdev_del", Map.of("id", "host" + alias));
                default -> {
                    // nothing else has a backend of its own
                }
            }
        } catch (IOException e) {
            LOG.log(
                    Level.WARNING,
                    "domain {0}: releasing the backend of removed device {1} failed: {2}",
                    dom.name(),
                    alias,
                    e.getMessage());
        }
    }
}
