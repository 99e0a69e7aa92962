package io.jvirt.api;

/** {@code virDomainGetJobStatsFlags}: wire values. */
public final class JobStatsFlags {
    /** Statistics of the last completed job instead of the running one. */
    public static final int COMPLETED = 1;
    /** With COMPLETED: keep them for the next call (else they are cleared once read). */
    public static final int KEEP_COMPLETED = 1 << 1;

    private JobStatsFlags() {}
}
