package io.jvirt.driver.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainEvent.Lifecycle;
import io.jvirt.api.DomainEventDetail;
import io.jvirt.api.DomainEventType;
import io.jvirt.api.DomainRef;
import io.jvirt.api.StateReason;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LifecycleEventsTest {
    private static final DomainRef G = new DomainRef("g", UUID.randomUUID(), 3);

    private static List<DomainEvent> change(StateReason from, StateReason to) {
        return LifecycleEvents.forChange(G, from, to);
    }

    @Test
    void startsReportHowTheGuestCameUp() {
        assertThat(change(StateReason.PAUSED_STARTING_UP, StateReason.RUNNING_BOOTED))
                .containsExactly(new Lifecycle(G, DomainEventType.STARTED, DomainEventDetail.STARTED_BOOTED));
        assertThat(change(StateReason.PAUSED_STARTING_UP, StateReason.RUNNING_RESTORED))
                .containsExactly(new Lifecycle(G, DomainEventType.STARTED, DomainEventDetail.STARTED_RESTORED));
        assertThat(change(StateReason.PAUSED_STARTING_UP, StateReason.PAUSED_MIGRATION))
                .containsExactly(new Lifecycle(G, DomainEventType.STARTED, DomainEventDetail.STARTED_MIGRATED));
        assertThat(change(StateReason.PAUSED_STARTING_UP, StateReason.PAUSED_USER))
                .containsExactly(
                        new Lifecycle(G, DomainEventType.STARTED, DomainEventDetail.STARTED_BOOTED),
                        new Lifecycle(G, DomainEventType.SUSPENDED, DomainEventDetail.SUSPENDED_PAUSED));
    }

    @Test
    void migrationChangesCarryTheMigrationDetails() {
        assertThat(change(StateReason.PAUSED_MIGRATION, StateReason.RUNNING_MIGRATED))
                .containsExactly(new Lifecycle(G, DomainEventType.RESUMED, DomainEventDetail.RESUMED_MIGRATED));
        assertThat(change(StateReason.RUNNING_BOOTED, StateReason.PAUSED_MIGRATION))
                .containsExactly(new Lifecycle(G, DomainEventType.SUSPENDED, DomainEventDetail.SUSPENDED_MIGRATED));
        assertThat(change(StateReason.PAUSED_MIGRATION, StateReason.SHUTOFF_MIGRATED))
                .containsExactly(new Lifecycle(G, DomainEventType.STOPPED, DomainEventDetail.STOPPED_MIGRATED));
        assertThat(change(StateReason.PAUSED_MIGRATION, StateReason.RUNNING_MIGRATION_CANCELED))
                .containsExactly(new Lifecycle(G, DomainEventType.RESUMED, DomainEventDetail.RESUMED_MIGRATED));
    }

    @Test
    void aChangeOfReasonWithinAStateIsNoEvent() {
        assertThat(change(StateReason.RUNNING_BOOTED, StateReason.RUNNING_UNPAUSED))
                .isEmpty();
        assertThat(change(StateReason.PAUSED_USER, StateReason.PAUSED_MIGRATION))
                .isEmpty();
        assertThat(change(StateReason.RUNNING_BOOTED, StateReason.RUNNING_BOOTED))
                .isEmpty();
    }

    @Test
    void stopsCarryTheShutOffReason() {
        assertThat(change(StateReason.RUNNING_BOOTED, StateReason.SHUTOFF_DESTROYED))
                .containsExactly(new Lifecycle(G, DomainEventType.STOPPED, DomainEventDetail.STOPPED_DESTROYED));
        assertThat(change(StateReason.RUNNING_BOOTED, StateReason.SHUTOFF_CRASHED))
                .containsExactly(new Lifecycle(G, DomainEventType.STOPPED, DomainEventDetail.STOPPED_CRASHED));
        assertThat(change(StateReason.PAUSED_SAVE, StateReason.SHUTOFF_SAVED))
                .containsExactly(new Lifecycle(G, DomainEventType.STOPPED, DomainEventDetail.STOPPED_SAVED));
        assertThat(change(StateReason.SHUTDOWN_UNKNOWN, StateReason.SHUTOFF_SHUTDOWN))
                .containsExactly(new Lifecycle(G, DomainEventType.STOPPED, DomainEventDetail.STOPPED_SHUTDOWN));
    }
}
