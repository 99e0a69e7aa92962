package io.jvirt.qmp;

/**
 * Receives a monitor's events and its end.
 *
 * <p>Threading: both methods run on the monitor's event-dispatch thread ({@code qmp-events[<name>]}), never on the
 * socket reader, one call at a time and in the order QEMU sent the events. A listener may therefore block or call
 * back into the monitor (the reader keeps delivering replies meanwhile), but while it blocks, later events wait.
 * {@link #onClosed} comes once, after every event received before the end.
 */
public interface MonitorListener {

    void onEvent(MonitorEvent event);

    /**
     * The monitor is closed: {@code causeOrNull} is null when it was closed on purpose ({@link Monitor#close()},
     * {@link Monitor#quit()}), otherwise why it ended (end of stream when QEMU died, an I/O or protocol error).
     */
    void onClosed(Throwable causeOrNull);

    /** A listener that ignores everything. */
    static MonitorListener ignoring() {
        return new MonitorListener() {
            @Override
            public void onEvent(MonitorEvent event) {}

            @Override
            public void onClosed(Throwable causeOrNull) {}
        };
    }
}
