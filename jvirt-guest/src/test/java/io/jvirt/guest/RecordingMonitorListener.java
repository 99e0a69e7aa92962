package io.jvirt.guest;

import static org.awaitility.Awaitility.await;

import io.jvirt.qmp.MonitorEvent;
import io.jvirt.qmp.MonitorListener;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps every event a QMP monitor delivers, so the boot test can wait for one with a deadline.
 *
 * <p>Threading: {@link #onEvent} and {@link #onClosed} run on the monitor's event-dispatch thread; the test thread
 * reads through {@link #awaitEvent}, which polls the thread-safe list.
 */
final class RecordingMonitorListener implements MonitorListener {
    private final List<MonitorEvent> events = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile Throwable closeCause;

    @Override
    public void onEvent(MonitorEvent event) {
        events.add(event);
    }

    @Override
    public void onClosed(Throwable causeOrNull) {
        closeCause = causeOrNull;
        closed = true;
    }

    /**
     * The first recorded event of {@code type}, waiting up to {@code timeout}. Fails early once the monitor has
     * closed without one, since no further events can arrive then.
     */
    <T extends MonitorEvent> T awaitEvent(Class<T> type, Duration timeout) {
        return await("QMP event " + type.getSimpleName())
                .atMost(timeout)
                .until(
                        () -> {
                            // Read closed first: onClosed follows every event, so a closed monitor's list is complete.
                            boolean ended = closed;
                            Optional<T> found = first(type);
                            if (found.isEmpty() && ended) {
                                throw new AssertionError(
                                        "QMP monitor closed before " + type.getSimpleName() + "; events seen: "
                                                + events,
                                        closeCause);
                            }
                            return found;
                        },
                        Optional::isPresent)
                .orElseThrow();
    }

    private <T extends MonitorEvent> Optional<T> first(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).findFirst();
    }
}
