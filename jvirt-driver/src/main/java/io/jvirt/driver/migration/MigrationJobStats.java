package io.jvirt.driver.migration;

import io.jvirt.api.JobInfo;
import io.jvirt.api.JobOperation;
import io.jvirt.api.JobType;
import io.jvirt.api.TypedParam;
import io.jvirt.driver.migration.storage.DiskMirrors;
import io.jvirt.qmp.MigrationRamStats;
import io.jvirt.qmp.MigrationStats;
import io.jvirt.qmp.XbzrleCacheStats;
import java.util.ArrayList;
import java.util.List;

/**
 * A migration job's statistics in libvirt's terms, from QEMU's {@code query-migrate}: the typed parameters of
 * {@code virDomainGetJobStats} (names and units as libvirt's: bytes, ms, bytes/s, pages/s) and the fixed
 * {@code virDomainJobInfo}. With storage migration the disk mirrors' progress is the disk part (libvirt's
 * {@code disk_*}, the JobInfo's file fields), and data_* is memory and disk together.
 */
record MigrationJobStats(
        JobType type, JobOperation operation, long elapsedMillis, MigrationStats qemu, DiskMirrors.Progress disk) {

    /** Statistics of a migration that copies no storage. */
    MigrationJobStats(JobType type, JobOperation operation, long elapsedMillis, MigrationStats qemu) {
        this(type, operation, elapsedMillis, qemu, DiskMirrors.Progress.NONE);
    }

    /** The downtime to report: the real one once QEMU completed, its estimate while it runs. */
    long downtimeMillis() {
        return qemu.downtimeMs() > 0 ? qemu.downtimeMs() : qemu.expectedDowntimeMs();
    }

    /** QEMU reports Mbit/s (10^6 bits); libvirt multiplies by 125000 to get bytes/s. */
    long memoryBps() {
        return (long) (qemu.ram().mbps() * 125_000);
    }

    JobInfo info() {
        MigrationRamStats ram = qemu.ram();
        return new JobInfo(
                type,
                elapsedMillis,
                0,
                ram.totalBytes() + disk.total(),
                ram.transferredBytes() + disk.processed(),
                ram.remainingBytes() + disk.remaining(),
                ram.totalBytes(),
                ram.transferredBytes(),
                ram.remainingBytes(),
                disk.total(),
                disk.processed(),
                disk.remaining());
    }

    List<TypedParam> params() {
        MigrationRamStats ram = qemu.ram();
        List<TypedParam> s = new ArrayList<>();
        s.add(TypedParam.integer("type", type.wire()));
        s.add(TypedParam.integer("operation", operation.wire()));
        s.add(TypedParam.ullong("time_elapsed", elapsedMillis));
        long downtime = downtimeMillis();
        if (downtime > 0 || type == JobType.COMPLETED) {
            s.add(TypedParam.ullong("downtime", downtime));
        }
        if (qemu.setupTimeMs() > 0) {
            s.add(TypedParam.ullong("setup_time", qemu.setupTimeMs()));
        }
        s.add(TypedParam.ullong("data_total", ram.totalBytes() + disk.total()));
        s.add(TypedParam.ullong("data_processed", ram.transferredBytes() + disk.processed()));
        s.add(TypedParam.ullong("data_remaining", ram.remainingBytes() + disk.remaining()));
        s.add(TypedParam.ullong("memory_total", ram.totalBytes()));
        s.add(TypedParam.ullong("memory_processed", ram.transferredBytes()));
        s.add(TypedParam.ullong("memory_remaining", ram.remainingBytes()));
        if (ram.duplicatePages() > 0 || ram.normalPages() > 0) {
            s.add(TypedParam.ullong("memory_constant", ram.duplicatePages()));
            s.add(TypedParam.ullong("memory_normal", ram.normalPages()));
            s.add(TypedParam.ullong("memory_normal_bytes", ram.normalBytes()));
        }
        s.add(TypedParam.ullong("memory_bps", memoryBps()));
        s.add(TypedParam.ullong("memory_dirty_rate", ram.dirtyPagesRate()));
        if (ram.pageSize() > 0) {
            s.add(TypedParam.ullong("memory_page_size", ram.pageSize()));
        }
        s.add(TypedParam.ullong("memory_iteration", ram.dirtySyncCount()));
        s.add(TypedParam.ullong("memory_postcopy_requests", ram.postcopyRequests()));
        if (disk.total() > 0) {
            s.add(TypedParam.ullong("disk_total", disk.total()));
            s.add(TypedParam.ullong("disk_processed", disk.processed()));
            s.add(TypedParam.ullong("disk_remaining", disk.remaining()));
        }
        XbzrleCacheStats x = qemu.xbzrleCache();
        if (x != null) {
            s.add(TypedParam.ullong("compression_cache", x.cacheSizeBytes()));
            s.add(TypedParam.ullong("compression_bytes", x.bytes()));
            s.add(TypedParam.ullong("compression_pages", x.pages()));
            s.add(TypedParam.ullong("compression_cache_misses", x.cacheMisses()));
            s.add(TypedParam.ullong("compression_overflow", x.overflows()));
        }
        if (qemu.cpuThrottlePercentage() > 0) {
            s.add(TypedParam.integer("auto_converge_throttle", qemu.cpuThrottlePercentage()));
        }
        return List.copyOf(s);
    }
}
