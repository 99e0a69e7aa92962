package io.jvirt.qmp;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** QEMU's RunState, as {@code query-status} names it. Unknown future names map to {@link #UNKNOWN}. */
public enum RunState {
    DEBUG("debug"),
    INMIGRATE("inmigrate"),
    INTERNAL_ERROR("internal-error"),
    IO_ERROR("io-error"),
    PAUSED("paused"),
    POSTMIGRATE("postmigrate"),
    PRELAUNCH("prelaunch"),
    FINISH_MIGRATE("finish-migrate"),
    RESTORE_VM("restore-vm"),
    RUNNING("running"),
    SAVE_VM("save-vm"),
    SHUTDOWN("shutdown"),
    SUSPENDED("suspended"),
    WATCHDOG("watchdog"),
    GUEST_PANICKED("guest-panicked"),
    COLO("colo"),
    UNKNOWN("");

    private static final Map<String, RunState> BY_NAME = Arrays.stream(values())
            .filter(s -> s != UNKNOWN)
            .collect(Collectors.toUnmodifiableMap(RunState::qmpName, Function.identity()));

    private final String qmpName;

    RunState(String qmpName) {
        this.qmpName = qmpName;
    }

    /** The name on the QMP wire, e.g. {@code "finish-migrate"}. */
    public String qmpName() {
        return qmpName;
    }

    public static RunState fromQmp(String name) {
        return BY_NAME.getOrDefault(name, UNKNOWN);
    }
}
