package io.jvirt.api;

/** {@code virDomainCreateFlags}: wire values, combined with |. */
public final class CreateFlags {
    /** Leave the guest paused after start (paused/user). */
    public static final int START_PAUSED = 1;

    public static final int START_AUTODESTROY = 1 << 1;
    public static final int START_BYPASS_CACHE = 1 << 2;
    public static final int START_FORCE_BOOT = 1 << 3;
    public static final int START_VALIDATE = 1 << 4;
    public static final int START_RESET_NVRAM = 1 << 5;

    private CreateFlags() {}
}
