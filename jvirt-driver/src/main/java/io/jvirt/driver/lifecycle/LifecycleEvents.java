package io.jvirt.driver.lifecycle;

import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainEvent.Lifecycle;
import io.jvirt.api.DomainEventDetail;
import io.jvirt.api.DomainEventType;
import io.jvirt.api.DomainRef;
import io.jvirt.api.StateReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Which libvirt lifecycle events a state change makes, as libvirt emits them: a start ends "starting up" with
 * STARTED (booted, restored, or migrated for an incoming migration), a start left paused adds SUSPENDED; later
 * pauses and resumes are SUSPENDED and RESUMED with the detail that matches the reason; the end is STOPPED with the
 * shut-off reason's detail.
 */
final class LifecycleEvents {
    private LifecycleEvents() {}

    static List<DomainEvent> forChange(DomainRef domain, StateReason from, StateReason to) {
        List<DomainEvent> out = new ArrayList<>();
        if (from == to) {
            return out;
        }
        if (from == StateReason.PAUSED_STARTING_UP) {
            int detail = switch (to) {
                case RUNNING_RESTORED -> DomainEventDetail.STARTED_RESTORED;
                case PAUSED_MIGRATION -> DomainEventDetail.STARTED_MIGRATED;
                default -> DomainEventDetail.STARTED_BOOTED;
            };
            out.add(new Lifecycle(domain, DomainEventType.STARTED, detail));
            if (to == StateReason.PAUSED_USER) {
                out.add(new Lifecycle(domain, DomainEventType.SUSPENDED, DomainEventDetail.SUSPENDED_PAUSED));
            }
            return out;
        }
        if (from.state() == to.state() && to != StateReason.RUNNING_MIGRATED) {
            return out;
        }
        switch (to.state()) {
            case RUNNING ->
                out.add(new Lifecycle(
                        domain,
                        DomainEventType.RESUMED,
                        switch (to) {
                            case RUNNING_MIGRATED, RUNNING_MIGRATION_CANCELED -> DomainEventDetail.RESUMED_MIGRATED;
                            case RUNNING_POSTCOPY -> DomainEventDetail.RESUMED_POSTCOPY;
                            default -> DomainEventDetail.RESUMED_UNPAUSED;
                        }));
            case PAUSED ->
                out.add(new Lifecycle(
                        domain,
                        DomainEventType.SUSPENDED,
                        switch (to) {
                            case PAUSED_MIGRATION -> DomainEventDetail.SUSPENDED_MIGRATED;
                            case PAUSED_IOERROR -> DomainEventDetail.SUSPENDED_IOERROR;
                            case PAUSED_POSTCOPY -> DomainEventDetail.SUSPENDED_POSTCOPY;
                            default -> DomainEventDetail.SUSPENDED_PAUSED;
                        }));
            case SHUTDOWN -> out.add(new Lifecycle(domain, DomainEventType.SHUTDOWN, DomainEventDetail.SHUTDOWN_GUEST));
            case SHUTOFF -> out.add(new Lifecycle(domain, DomainEventType.STOPPED, stoppedDetail(to)));
            default -> {}
        }
        return out;
    }

    static int stoppedDetail(StateReason reason) {
        return switch (reason) {
            case SHUTOFF_DESTROYED -> DomainEventDetail.STOPPED_DESTROYED;
            case SHUTOFF_CRASHED -> DomainEventDetail.STOPPED_CRASHED;
            case SHUTOFF_MIGRATED -> DomainEventDetail.STOPPED_MIGRATED;
            case SHUTOFF_SAVED -> DomainEventDetail.STOPPED_SAVED;
            case SHUTOFF_FAILED -> DomainEventDetail.STOPPED_FAILED;
            default -> DomainEventDetail.STOPPED_SHUTDOWN;
        };
    }
}
