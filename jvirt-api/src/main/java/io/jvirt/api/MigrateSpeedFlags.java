package io.jvirt.api;

/** {@code virDomainMigrateMaxSpeedFlags}: wire values. */
public final class MigrateSpeedFlags {
    /** The limit applies to the post-copy phase ({@code max-postcopy-bandwidth}). */
    public static final int POSTCOPY = 1;

    private MigrateSpeedFlags() {}
}
