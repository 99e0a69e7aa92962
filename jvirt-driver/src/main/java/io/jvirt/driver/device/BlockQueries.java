package io.jvirt.driver.device;

import io.jvirt.api.BlockInfo;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DiskFormat;
import io.jvirt.config.DomainDef;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.job.SyncJobKind;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code virDomainBlockStatsFlags} and {@code virDomainGetBlockInfo}: a disk's counters from QEMU's
 * {@code query-blockstats}, its sizes from {@code query-block} while the guest runs and from the image otherwise.
 * A disk is named as libvirt names it, by target ({@code vda}) or by source path.
 *
 * <p>Threading: the caller's thread, as a query job of the domain.
 */
public final class BlockQueries {
    /** libvirt's typed parameter names, in the order its QEMU driver reports them, with QEMU's stat for each. */
    private static final List<String[]> STATS = List.of(
            new String[] {"wr_bytes", "wr_bytes"},
            new String[] {"wr_operations", "wr_operations"},
            new String[] {"rd_bytes", "rd_bytes"},
            new String[] {"rd_operations", "rd_operations"},
            new String[] {"flush_operations", "flush_operations"},
            new String[] {"wr_total_times", "wr_total_time_ns"},
            new String[] {"rd_total_times", "rd_total_time_ns"},
            new String[] {"flush_total_times", "flush_total_time_ns"});
    /** {@code VIR_TYPED_PARAM_STRING_OKAY}, which the client library adds to every typed-parameter call. */
    private static final int TYPED_PARAM_STRING_OKAY = 1 << 2;

    private BlockQueries() {}

    /**
     * The disk's counters as LLONG typed parameters (a counter QEMU does not report is left out); {@code path} ""
     * sums every disk, as {@code virsh domblkstat DOMAIN} without a device asks.
     */
    public static List<TypedParam> stats(DomainObj dom, String path, int flags) {
        if ((flags & ~TYPED_PARAM_STRING_OKAY) != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "unsupported flags (0x" + Integer.toHexString(flags) + ") in function qemuDomainBlockStatsFlags");
        }
        try (DomainObj.Job _ = dom.beginJob("block stats", SyncJobKind.QUERY, null, DomainLifecycle.JOB_WAIT_MILLIS)) {
            QemuRun run = dom.requireRun();
            DomainDef live = dom.liveDef();
            List<DiskDef> disks =
                    path.isEmpty() ? live.disks() : List.of(diskByName(live, path, "invalid path: " + path));
            List<Map<String, Object>> entries = BlockNodes.query(dom, run.monitor(), "query-blockstats");
            long[] sums = new long[STATS.size()];
            boolean[] seen = new boolean[STATS.size()];
            for (DiskDef disk : disks) {
                Map<String, Object> entry = disk.alias() == null ? null : BlockNodes.entryFor(entries, disk.alias());
                if (entry == null) {
                    if (path.isEmpty()) {
                        continue;
                    }
                    throw VirtException.of(
                            ErrorCode.INTERNAL_ERROR,
                            ErrorDomain.QEMU,
                            "cannot find statistics for device '" + disk.alias() + "'");
                }
                Object stats = entry.get("stats");
                for (int i = 0; i < STATS.size(); i++) {
                    long v = BlockNodes.number(stats, STATS.get(i)[1], -1);
                    if (v >= 0) {
                        sums[i] += v;
                        seen[i] = true;
                    }
                }
            }
            List<TypedParam> out = new ArrayList<>();
            for (int i = 0; i < STATS.size(); i++) {
                if (seen[i]) {
                    out.add(new TypedParam(STATS.get(i)[0], TypedParam.Type.LLONG, sums[i]));
                }
            }
            return out;
        }
    }

    /** Sizes of the disk named {@code path}: from QEMU while the guest runs, from the image file otherwise. */
    public static BlockInfo info(DomainObj dom, String path, int flags) {
        if (flags != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "unsupported flags (0x" + Integer.toHexString(flags) + ") in function qemuDomainGetBlockInfo");
        }
        try (DomainObj.Job _ = dom.beginJob("block info", SyncJobKind.QUERY, null, DomainLifecycle.JOB_WAIT_MILLIS)) {
            DomainDef def = dom.def();
            DiskDef disk = diskByName(def, path, "invalid path " + path + " not assigned to domain");
            if (disk.sourceFile() == null) {
                throw VirtException.of(
                        ErrorCode.INVALID_ARG,
                        ErrorDomain.QEMU,
                        "disk '" + path + "' does not currently have a source assigned");
            }
            QemuRun run = dom.run();
            if (run == null || disk.alias() == null) {
                return ImageSizes.of(Path.of(disk.sourceFile()));
            }
            return live(dom, run, disk);
        }
    }

    /**
     * As libvirt reads a running disk: capacity is the image's virtual size, physical what the image occupies on
     * the host; allocation is, for a qcow2 file, the highest offset QEMU wrote in it, else the physical size.
     */
    private static BlockInfo live(DomainObj dom, QemuRun run, DiskDef disk) {
        Map<String, Object> block =
                BlockNodes.entryFor(BlockNodes.query(dom, run.monitor(), "query-block"), disk.alias());
        if (block == null || !(block.get("inserted") instanceof Map<?, ?> inserted)) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR,
                    ErrorDomain.QEMU,
                    "cannot find statistics for device '" + disk.alias() + "'");
        }
        Object image = inserted.get("image");
        long capacity = BlockNodes.number(image, "virtual-size", 0);
        long physical = BlockNodes.number(image, "actual-size", 0);
        long allocation = physical;
        if (disk.format() == DiskFormat.QCOW2) {
            Map<String, Object> stats =
                    BlockNodes.entryFor(BlockNodes.query(dom, run.monitor(), "query-blockstats"), disk.alias());
            Object parent = stats == null ? null : stats.get("parent");
            Object parentStats = parent instanceof Map<?, ?> p ? p.get("stats") : null;
            long highest = BlockNodes.number(parentStats, "wr_highest_offset", -1);
            if (highest >= 0) {
                allocation = highest;
            }
        }
        return new BlockInfo(capacity, allocation, physical);
    }

    /** The disk libvirt's {@code virDomainDiskByName} finds: by target, else by source path. */
    static DiskDef diskByName(DomainDef def, String name, String notFound) {
        for (DiskDef d : def.disks()) {
            if (d.targetDev().equals(name)) {
                return d;
            }
        }
        for (DiskDef d : def.disks()) {
            if (name.equals(d.sourceFile())) {
                return d;
            }
        }
        throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, notFound);
    }
}
