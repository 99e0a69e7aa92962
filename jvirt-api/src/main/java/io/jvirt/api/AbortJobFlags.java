package io.jvirt.api;

/** {@code virDomainAbortJobFlagsValues}: wire values. */
public final class AbortJobFlags {
    /** Interrupt a migration in post-copy mode (QMP migrate-pause) instead of refusing to. */
    public static final int POSTCOPY = 1;

    private AbortJobFlags() {}
}
