package io.jvirt.api;

import java.util.List;

/**
 * Something that happened to a domain, as libvirt's event callbacks report it.
 */
public sealed interface DomainEvent {

    /** The domain the event is about. */
    DomainRef domain();

    /** {@code VIR_DOMAIN_EVENT_ID_LIFECYCLE}: a state change, with a {@link DomainEventDetail} number. */
    record Lifecycle(DomainRef domain, DomainEventType type, int detail) implements DomainEvent {}

    /** {@code VIR_DOMAIN_EVENT_ID_JOB_COMPLETED}: an async job ended; its final statistics. */
    record JobCompleted(DomainRef domain, List<TypedParam> stats) implements DomainEvent {
        public JobCompleted {
            stats = List.copyOf(stats);
        }
    }

    /** {@code VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION}: QEMU began another pass over the guest's memory. */
    record MigrationIteration(DomainRef domain, int iteration) implements DomainEvent {}

    /** {@code VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED}: the device with this alias left the running guest. */
    record DeviceRemoved(DomainRef domain, String alias) implements DomainEvent {}

    /** {@code VIR_DOMAIN_EVENT_ID_DEVICE_ADDED}: the device with this alias was hot-plugged into the running guest. */
    record DeviceAdded(DomainRef domain, String alias) implements DomainEvent {}
}
