package io.jvirt.api;

/**
 * Receives a connection's domain events. Called on a thread of the driver's choosing, one event at a time, in the
 * order they happened; it must return quickly and must not call back into the connection on that thread.
 */
@FunctionalInterface
public interface DomainEventListener {
    void onEvent(DomainEvent event);
}
