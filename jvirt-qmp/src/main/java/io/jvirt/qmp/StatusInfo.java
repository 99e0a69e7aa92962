package io.jvirt.qmp;

/** The reply to {@code query-status}: QEMU's run state name (kept verbatim) and whether vCPUs run. */
public record StatusInfo(String status, boolean running) {

    /** {@link #status()} as an enum; {@link RunState#UNKNOWN} for names this build does not know. */
    public RunState state() {
        return RunState.fromQmp(status);
    }
}
