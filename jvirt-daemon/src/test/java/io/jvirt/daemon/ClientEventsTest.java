package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainRef;
import io.jvirt.rpc.proto.JobWire.MigrationIterationEvent;
import io.jvirt.rpc.proto.RemoteProcedures;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageType;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The frames one client gets for a migration-iteration event: callback form only, for the callbacks asking. */
class ClientEventsTest {
    private static final DomainRef G1 = new DomainRef("g1", UUID.randomUUID(), 3);
    private static final DomainRef G2 = new DomainRef("g2", UUID.randomUUID(), 4);

    private final ClientEvents events = new ClientEvents(() -> {});

    @Test
    void aMigrationIterationGoesToEachCallbackForEventTwentyAsProcedure359() {
        int any = events.register(ClientEvents.ID_MIGRATION_ITERATION, null);
        int onlyG1 = events.register(ClientEvents.ID_MIGRATION_ITERATION, G1);
        events.register(ClientEvents.ID_MIGRATION_ITERATION, G2);
        events.register(ClientEvents.ID_LIFECYCLE, null);

        List<Message> frames = events.messagesFor(new DomainEvent.MigrationIteration(G1, 2));

        assertThat(frames).allSatisfy(m -> {
            assertThat(m.header().type()).isEqualTo(MessageType.MESSAGE);
            assertThat(m.header().procedure()).isEqualTo(359);
            assertThat(m.header().serial()).isEqualTo(ClientEvents.EVENT_SERIAL);
        });
        assertThat(frames)
                .extracting(RemoteProcedures.DOMAIN_EVENT_CALLBACK_MIGRATION_ITERATION::decodeArgs)
                .containsExactlyInAnyOrder(
                        new MigrationIterationEvent(any, G1, 2), new MigrationIterationEvent(onlyG1, G1, 2));
    }

    @Test
    void legacyRegistrationsAndOtherEventIdsGetNoIterationFrames() {
        events.registerLegacy(ClientEvents.ID_MIGRATION_ITERATION);
        events.register(ClientEvents.ID_JOB_COMPLETED, null);

        assertThat(events.messagesFor(new DomainEvent.MigrationIteration(G1, 1)))
                .isEmpty();
        assertThat(events.listensTo(ClientEvents.ID_MIGRATION_ITERATION)).isTrue();
    }
}
