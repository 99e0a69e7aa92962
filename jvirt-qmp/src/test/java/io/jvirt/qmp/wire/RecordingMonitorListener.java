package io.jvirt.qmp.wire;

import io.jvirt.qmp.MonitorEvent;
import io.jvirt.qmp.MonitorListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records what a monitor delivers, and on which thread, for assertions. */
final class RecordingMonitorListener implements MonitorListener {
    /** Everything delivered, in order: events, then "closed" last. */
    final List<Object> deliveries = new CopyOnWriteArrayList<>();

    final List<String> threads = new CopyOnWriteArrayList<>();
    final CompletableFuture<Optional<Throwable>> closed = new CompletableFuture<>();
    final AtomicInteger closedCalls = new AtomicInteger();

    @Override
    public void onEvent(MonitorEvent event) {
        threads.add(Thread.currentThread().getName());
        deliveries.add(event);
    }

    @Override
    public void onClosed(Throwable causeOrNull) {
        threads.add(Thread.currentThread().getName());
        closedCalls.incrementAndGet();
        deliveries.add("closed");
        closed.complete(Optional.ofNullable(causeOrNull));
    }

    List<MonitorEvent> events() {
        List<MonitorEvent> events = new ArrayList<>();
        for (Object delivery : deliveries) {
            if (delivery instanceof MonitorEvent event) {
                events.add(event);
            }
        }
        return events;
    }
}
