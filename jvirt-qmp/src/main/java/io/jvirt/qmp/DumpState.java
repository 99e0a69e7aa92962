package io.jvirt.qmp;

/** QEMU's DumpStatus names, as {@code query-dump} and {@code DUMP_COMPLETED} report them; unknown names map to {@link #UNKNOWN}. */
public enum DumpState {
    NONE("none"),
    ACTIVE("active"),
    COMPLETED("completed"),
    FAILED("failed"),
    UNKNOWN("");

    private final String qmpName;

    DumpState(String qmpName) {
        this.qmpName = qmpName;
    }

    /** The name on the QMP wire. */
    public String qmpName() {
        return qmpName;
    }

    public static DumpState fromQmp(String name) {
        for (DumpState state : values()) {
            if (state != UNKNOWN && state.qmpName.equals(name)) {
                return state;
            }
        }
        return UNKNOWN;
    }
}
