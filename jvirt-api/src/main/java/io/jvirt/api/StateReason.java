package io.jvirt.api;

/**
 * The reason for a domain's state, as libvirt numbers them per state ({@code virDomainRunningReason},
 * {@code virDomainPausedReason}, …). {@link #wire()} is the number within its state; {@link #xmlName()} is the
 * string in status XML ({@code reason='booted'}), written here as state/reason pairs such as running/booted.
 */
public enum StateReason {
    NOSTATE_UNKNOWN(DomainState.NOSTATE, 0, "unknown"),

    RUNNING_UNKNOWN(DomainState.RUNNING, 0, "unknown"),
    RUNNING_BOOTED(DomainState.RUNNING, 1, "booted"),
    RUNNING_MIGRATED(DomainState.RUNNING, 2, "migrated"),
    RUNNING_RESTORED(DomainState.RUNNING, 3, "restored"),
    RUNNING_FROM_SNAPSHOT(DomainState.RUNNING, 4, "from snapshot"),
    RUNNING_UNPAUSED(DomainState.RUNNING, 5, "unpaused"),
    RUNNING_MIGRATION_CANCELED(DomainState.RUNNING, 6, "migration canceled"),
    RUNNING_SAVE_CANCELED(DomainState.RUNNING, 7, "save canceled"),
    RUNNING_WAKEUP(DomainState.RUNNING, 8, "wakeup"),
    RUNNING_CRASHED(DomainState.RUNNING, 9, "crashed"),
    RUNNING_POSTCOPY(DomainState.RUNNING, 10, "post-copy"),
    RUNNING_POSTCOPY_FAILED(DomainState.RUNNING, 11, "post-copy failed"),

    BLOCKED_UNKNOWN(DomainState.BLOCKED, 0, "unknown"),

    PAUSED_UNKNOWN(DomainState.PAUSED, 0, "unknown"),
    PAUSED_USER(DomainState.PAUSED, 1, "user"),
    PAUSED_MIGRATION(DomainState.PAUSED, 2, "migration"),
    PAUSED_SAVE(DomainState.PAUSED, 3, "save"),
    PAUSED_DUMP(DomainState.PAUSED, 4, "dump"),
    PAUSED_IOERROR(DomainState.PAUSED, 5, "ioerror"),
    PAUSED_WATCHDOG(DomainState.PAUSED, 6, "watchdog"),
    PAUSED_FROM_SNAPSHOT(DomainState.PAUSED, 7, "from snapshot"),
    PAUSED_SHUTTING_DOWN(DomainState.PAUSED, 8, "shutdown"),
    PAUSED_SNAPSHOT(DomainState.PAUSED, 9, "snapshot"),
    PAUSED_CRASHED(DomainState.PAUSED, 10, "panicked"),
    PAUSED_STARTING_UP(DomainState.PAUSED, 11, "starting up"),
    PAUSED_POSTCOPY(DomainState.PAUSED, 12, "post-copy"),
    PAUSED_POSTCOPY_FAILED(DomainState.PAUSED, 13, "post-copy failed"),

    SHUTDOWN_UNKNOWN(DomainState.SHUTDOWN, 0, "unknown"),
    SHUTDOWN_USER(DomainState.SHUTDOWN, 1, "user"),

    SHUTOFF_UNKNOWN(DomainState.SHUTOFF, 0, "unknown"),
    SHUTOFF_SHUTDOWN(DomainState.SHUTOFF, 1, "shutdown"),
    SHUTOFF_DESTROYED(DomainState.SHUTOFF, 2, "destroyed"),
    SHUTOFF_CRASHED(DomainState.SHUTOFF, 3, "crashed"),
    SHUTOFF_MIGRATED(DomainState.SHUTOFF, 4, "migrated"),
    SHUTOFF_SAVED(DomainState.SHUTOFF, 5, "saved"),
    SHUTOFF_FAILED(DomainState.SHUTOFF, 6, "failed"),
    SHUTOFF_FROM_SNAPSHOT(DomainState.SHUTOFF, 7, "from snapshot"),
    SHUTOFF_DAEMON(DomainState.SHUTOFF, 8, "daemon"),

    CRASHED_UNKNOWN(DomainState.CRASHED, 0, "unknown"),
    CRASHED_PANICKED(DomainState.CRASHED, 1, "panicked"),

    PMSUSPENDED_UNKNOWN(DomainState.PMSUSPENDED, 0, "unknown");

    private final DomainState state;
    private final int wire;
    private final String xmlName;

    StateReason(DomainState state, int wire, String xmlName) {
        this.state = state;
        this.wire = wire;
        this.xmlName = xmlName;
    }

    public DomainState state() {
        return state;
    }

    /** The reason's number within its state, as libvirt sends it. */
    public int wire() {
        return wire;
    }

    /** The reason string in status XML. */
    public String xmlName() {
        return xmlName;
    }

    /** The reason numbered {@code wire} within {@code state}; unknown numbers give the state's "unknown". */
    public static StateReason of(DomainState state, int wire) {
        StateReason unknown = null;
        for (StateReason r : values()) {
            if (r.state == state) {
                if (r.wire == wire) {
                    return r;
                }
                if (r.wire == 0) {
                    unknown = r;
                }
            }
        }
        return unknown;
    }

    /** The reason named {@code xmlName} within {@code state}, as read from a status file. */
    public static StateReason fromXmlName(DomainState state, String xmlName) {
        for (StateReason r : values()) {
            if (r.state == state && r.xmlName.equals(xmlName)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown reason '" + xmlName + "' for state " + state.xmlName());
    }

    @Override
    public String toString() {
        return state.xmlName() + "/" + xmlName;
    }
}
