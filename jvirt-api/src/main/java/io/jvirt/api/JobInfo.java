package io.jvirt.api;

/**
 * libvirt's {@code virDomainJobInfo}, field for field: times in milliseconds, amounts in bytes. The richer
 * {@link Connection#jobStats} carries the same numbers and more, as typed parameters.
 */
public record JobInfo(
        JobType type,
        long timeElapsedMs,
        long timeRemainingMs,
        long dataTotal,
        long dataProcessed,
        long dataRemaining,
        long memTotal,
        long memProcessed,
        long memRemaining,
        long fileTotal,
        long fileProcessed,
        long fileRemaining) {

    public static final JobInfo NONE = new JobInfo(JobType.NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
