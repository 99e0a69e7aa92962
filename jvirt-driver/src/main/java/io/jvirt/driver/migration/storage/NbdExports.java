package io.jvirt.driver.migration.storage;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DiskDef;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.qmp.BlockCommands;
import io.jvirt.qmp.BlockDevice;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.NbdAddress;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * The destination's side of a storage migration in its QEMU: one NBD server ({@code nbd-server-start}) and one
 * writable {@code block-export-add} per copied disk, named as libvirt names it ({@code drive-<alias>}, export id
 * {@code libvirt-nbd-<node>}, or {@code libvirt-nbd-drive-<alias>} for a node QEMU named itself), so a libvirt source finds the same exports. The disk's node is looked up in QEMU
 * ({@code query-block}), which works for {@code -drive} and {@code -blockdev} disks alike.
 *
 * <p>Threading: the Prepare and Finish callers' threads, under the domain's migration job.
 */
public final class NbdExports {
    private static final Logger LOG = System.getLogger(NbdExports.class.getName());

    private NbdExports() {}

    /**
     * Starts the NBD server at {@code listen} and exports {@code disks} on it.
     *
     * @throws VirtException with QEMU's reason when the server or an export cannot be made (the caller tears the
     *                       QEMU down, which takes the server with it)
     */
    public static void start(Monitor monitor, String domain, List<DiskDef> disks, NbdAddress listen) {
        start(monitor, domain, disks, listen, null);
    }

    /**
     * As {@link #start(Monitor, String, List, NbdAddress)}; with {@code tlsCreds} (a {@code tls-creds-x509} object's
     * id) the server takes only clients that speak TLS with those credentials.
     */
    public static void start(Monitor monitor, String domain, List<DiskDef> disks, NbdAddress listen, String tlsCreds) {
        for (DiskDef disk : disks) {
            CopiedDisks.checkCopyable(disk);
        }
        BlockCommands block = new BlockCommands(monitor);
        List<BlockDevice> devices = MonitorCalls.call(domain, block::queryBlock);
        MonitorCalls.run(domain, () -> block.nbdServerStart(listen, tlsCreds));
        for (DiskDef disk : disks) {
            String node = nodeOf(devices, disk);
            String name = CopiedDisks.driveAlias(disk);
            // QEMU's own node names (-drive's "#block123") are no valid ids: the drive's alias stands in.
            String id = "libvirt-nbd-" + (node.startsWith("#") ? name : node);
            MonitorCalls.run(domain, () -> block.blockExportAdd(id, node, name, true));
        }
        LOG.log(Level.DEBUG, "domain {0}: NBD server at {1} exports {2} disk(s)", domain, listen, disks.size());
    }

    /** {@code nbd-server-stop}, once the disks have arrived (or on the way out); a failure is only logged. */
    public static void stop(Monitor monitor, String domain) {
        try {
            new BlockCommands(monitor).nbdServerStop();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "domain " + domain + ": Unable to stop NBD server: " + e.getMessage());
        }
    }

    /** The top node of {@code disk} in QEMU, found by the guest device's alias. */
    static String nodeOf(List<BlockDevice> devices, DiskDef disk) {
        for (BlockDevice d : devices) {
            if (disk.alias() != null && d.belongsTo(disk.alias()) && d.nodeName() != null) {
                return d.nodeName();
            }
        }
        throw VirtException.of(
                ErrorCode.INTERNAL_ERROR,
                ErrorDomain.QEMU,
                "cannot find the block node of disk " + disk.targetDev() + " in QEMU");
    }
}
