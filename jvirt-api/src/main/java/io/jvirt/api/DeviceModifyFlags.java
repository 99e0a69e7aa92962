package io.jvirt.api;

/**
 * {@code virDomainDeviceModifyFlags} (the same numbers as {@code virDomainModificationImpact}): which definition a
 * device attach, detach or update changes. CURRENT means the live one while the domain runs, else the persistent
 * one; LIVE and CONFIG may be combined.
 */
public final class DeviceModifyFlags {
    public static final int CURRENT = 0;
    public static final int LIVE = 1;
    public static final int CONFIG = 1 << 1;
    /** Update only: force the change (e.g. eject a locked cdrom). */
    public static final int FORCE = 1 << 2;

    private DeviceModifyFlags() {}
}
