package io.jvirt.driver.job;

/**
 * How far a job has got, from QEMU's migration statistics: guest memory in bytes, the transfer rate in bytes per
 * second, the dirty rate in pages per second and the number of passes over memory.
 */
public record JobProgress(
        long memTotal, long memProcessed, long memRemaining, long memoryBps, long dirtyRate, long iteration) {

    public static final JobProgress NOTHING = new JobProgress(0, 0, 0, 0, 0, 0);

    public long dataTotal() {
        return memTotal;
    }

    public long dataProcessed() {
        return memProcessed;
    }

    public long dataRemaining() {
        return memRemaining;
    }
}
