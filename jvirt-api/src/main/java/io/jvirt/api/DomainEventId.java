package io.jvirt.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * {@code virDomainEventID}: the kinds of domain event a listener registers for, with libvirt's numbers (each is one
 * callback registration on the wire).
 */
public enum DomainEventId {
    // Declared in the order a client registers them: the defaults go out as libvirt's own clients send them.
    /** {@link DomainEvent.Lifecycle}. */
    LIFECYCLE(0),
    /** {@link DomainEvent.JobCompleted}. */
    JOB_COMPLETED(21),
    /** {@link DomainEvent.MigrationIteration}. */
    MIGRATION_ITERATION(20),
    /** {@link DomainEvent.DeviceRemoved}. */
    DEVICE_REMOVED(15),
    /** {@link DomainEvent.DeviceAdded}. */
    DEVICE_ADDED(19);

    /** What {@link Connection#addDomainEventListener(DomainEventListener)} registers for. */
    public static final Set<DomainEventId> DEFAULTS = EnumSet.of(LIFECYCLE, JOB_COMPLETED, MIGRATION_ITERATION);

    private final int wire;

    DomainEventId(int wire) {
        this.wire = wire;
    }

    /** libvirt's {@code VIR_DOMAIN_EVENT_ID_*} number. */
    public int wire() {
        return wire;
    }

    /** The kind of {@code event}. */
    public static DomainEventId of(DomainEvent event) {
        return switch (event) {
            case DomainEvent.Lifecycle _ -> LIFECYCLE;
            case DomainEvent.DeviceRemoved _ -> DEVICE_REMOVED;
            case DomainEvent.JobCompleted _ -> JOB_COMPLETED;
            case DomainEvent.DeviceAdded _ -> DEVICE_ADDED;
            case DomainEvent.MigrationIteration _ -> MIGRATION_ITERATION;
        };
    }
}
