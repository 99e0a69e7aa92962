package io.jvirt.qmp;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * QEMU's MigrationStatus, as {@code query-migrate} and the {@code MIGRATION} event name it. A {@code query-migrate}
 * reply without a status (QEMU answers {@code {}} before any migration) is {@link #NONE}; names this build does not
 * know map to {@link #UNKNOWN}.
 */
public enum MigrationStatus {
    NONE("none"),
    SETUP("setup"),
    CANCELLING("cancelling"),
    CANCELLED("cancelled"),
    ACTIVE("active"),
    POSTCOPY_ACTIVE("postcopy-active"),
    POSTCOPY_PAUSED("postcopy-paused"),
    POSTCOPY_RECOVER_SETUP("postcopy-recover-setup"),
    POSTCOPY_RECOVER("postcopy-recover"),
    COMPLETED("completed"),
    FAILED("failed"),
    COLO("colo"),
    PRE_SWITCHOVER("pre-switchover"),
    DEVICE("device"),
    WAIT_UNPLUG("wait-unplug"),
    UNKNOWN("");

    private static final Map<String, MigrationStatus> BY_NAME = Arrays.stream(values())
            .filter(s -> s != UNKNOWN)
            .collect(Collectors.toUnmodifiableMap(MigrationStatus::qmpName, Function.identity()));

    private final String qmpName;

    MigrationStatus(String qmpName) {
        this.qmpName = qmpName;
    }

    /** The name on the QMP wire, e.g. {@code "postcopy-active"}. */
    public String qmpName() {
        return qmpName;
    }

    /**
     * True for the states a migration does not leave by itself (completed, failed, cancelled): what a waiter for the
     * end of a save or migration waits for.
     */
    public boolean isFinished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** True for the post-copy states (active, paused, recovering): the guest has switched over to the destination. */
    public boolean isPostcopy() {
        return this == POSTCOPY_ACTIVE
                || this == POSTCOPY_PAUSED
                || this == POSTCOPY_RECOVER_SETUP
                || this == POSTCOPY_RECOVER;
    }

    public static MigrationStatus fromQmp(String name) {
        return BY_NAME.getOrDefault(name, UNKNOWN);
    }
}
