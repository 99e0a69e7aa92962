package io.jvirt.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainEventType;
import io.jvirt.api.DomainRef;
import io.jvirt.rpc.proto.JobWire.CallbackLifecycleEvent;
import io.jvirt.rpc.proto.JobWire.LifecycleEvent;
import io.jvirt.rpc.proto.JobWire.MigrationIterationEvent;
import io.jvirt.rpc.proto.RemoteProcedures;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server's migration-iteration MESSAGEs (procedure 359) reach the listener of their callback id, in order. */
class EventDispatcherTest {
    private static final DomainRef G1 = new DomainRef("g1", UUID.randomUUID(), 3);

    private final EventDispatcher dispatcher = new EventDispatcher();

    @AfterEach
    void stop() {
        dispatcher.shutdown();
    }

    @Test
    void migrationIterationsReachTheirCallbacksListener() {
        List<DomainEvent> mine = new CopyOnWriteArrayList<>();
        List<DomainEvent> other = new CopyOnWriteArrayList<>();
        dispatcher.register(5, mine::add);
        dispatcher.register(6, other::add);

        dispatcher.accept(RemoteProcedures.DOMAIN_EVENT_CALLBACK_MIGRATION_ITERATION.event(
                1, new MigrationIterationEvent(5, G1, 1)));
        dispatcher.accept(RemoteProcedures.DOMAIN_EVENT_CALLBACK_MIGRATION_ITERATION.event(
                1, new MigrationIterationEvent(5, G1, 2)));
        // A later event for the other callback: once it is delivered, everything before it has been too.
        dispatcher.accept(RemoteProcedures.DOMAIN_EVENT_CALLBACK_LIFECYCLE.event(
                1, new CallbackLifecycleEvent(6, new LifecycleEvent(G1, DomainEventType.RESUMED.wire(), 0))));

        await().atMost(Duration.ofSeconds(5)).until(() -> !other.isEmpty());
        assertThat(mine)
                .containsExactly(new DomainEvent.MigrationIteration(G1, 1), new DomainEvent.MigrationIteration(G1, 2));
        assertThat(other).containsExactly(new DomainEvent.Lifecycle(G1, DomainEventType.RESUMED, 0));
    }
}
