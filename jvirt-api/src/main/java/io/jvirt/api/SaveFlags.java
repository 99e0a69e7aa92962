package io.jvirt.api;

/** {@code virDomainSaveRestoreFlags}: wire values, combined with |. */
public final class SaveFlags {
    public static final int BYPASS_CACHE = 1;
    /** Restore (or leave after save-image-define) the guest running, whatever it was at save time. */
    public static final int RUNNING = 1 << 1;
    /** Restore (or leave) the guest paused. */
    public static final int PAUSED = 1 << 2;

    public static final int RESET_NVRAM = 1 << 3;

    private SaveFlags() {}
}
