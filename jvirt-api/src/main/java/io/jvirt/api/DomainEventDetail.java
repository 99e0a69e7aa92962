package io.jvirt.api;

/**
 * libvirt's per-event detail numbers ({@code virDomainEvent*DetailType}) for the lifecycle events jvirt emits.
 * Values are wire values.
 */
public final class DomainEventDetail {
    public static final int DEFINED_ADDED = 0;
    public static final int DEFINED_UPDATED = 1;
    public static final int UNDEFINED_REMOVED = 0;
    public static final int STARTED_BOOTED = 0;
    public static final int STARTED_MIGRATED = 1;
    public static final int STARTED_RESTORED = 2;
    public static final int SUSPENDED_PAUSED = 0;
    public static final int SUSPENDED_MIGRATED = 1;
    public static final int SUSPENDED_IOERROR = 2;
    public static final int SUSPENDED_RESTORED = 4;
    public static final int SUSPENDED_API_ERROR = 6;
    public static final int SUSPENDED_POSTCOPY = 7;
    public static final int SUSPENDED_POSTCOPY_FAILED = 8;
    public static final int RESUMED_UNPAUSED = 0;
    public static final int RESUMED_MIGRATED = 1;
    public static final int RESUMED_POSTCOPY = 3;
    public static final int RESUMED_POSTCOPY_FAILED = 4;
    public static final int STOPPED_SHUTDOWN = 0;
    public static final int STOPPED_DESTROYED = 1;
    public static final int STOPPED_CRASHED = 2;
    public static final int STOPPED_MIGRATED = 3;
    public static final int STOPPED_SAVED = 4;
    public static final int STOPPED_FAILED = 5;
    public static final int SHUTDOWN_FINISHED = 0;
    public static final int SHUTDOWN_GUEST = 1;

    private DomainEventDetail() {}
}
