package io.jvirt.remote.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainEventType;
import io.jvirt.api.DomainState;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.StateReason;
import io.jvirt.rpc.wire.Keepalive;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against libvirtd 11.3's own answers: {@code libvirt-11.3/session.frames} was recorded by
 * {@link LibvirtCapture} from a real libvirtd (test driver); here {@link ReplayServer} plays them back, checking
 * that the client sends what it sent to libvirtd, while the client's API must return what libvirtd's test driver
 * is known to hold (domain "test" with its fixed UUID, 2 vCPUs, 8 GiB max / 2 GiB memory).
 */
class GoldenReplayTest {
    private static List<RecordedFrame> session;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = GoldenReplayTest.class.getResourceAsStream("/libvirt-11.3/session.frames")) {
            session = RecordedFrame.read(in);
        }
    }

    @Test
    void recordingHoldsTheWholeSession() {
        assertThat(session)
                .first()
                .satisfies(f -> assertThat(f.decode().header().procedure()).isEqualTo(66));
        assertThat(session)
                .anySatisfy(
                        f -> assertThat(Keepalive.isPing(f.decode().header())).isTrue());
        assertThat(session)
                .anySatisfy(f -> assertThat(f.decode().header().procedure()).isEqualTo(318));
        assertThat(session)
                .last()
                .satisfies(f -> assertThat(f.decode().header().procedure()).isEqualTo(2));
    }

    @Test
    void clientGetsLibvirtsAnswersThroughItsApi() throws Exception {
        int pong = indexOfPong();
        try (ReplayServer server = new ReplayServer(session, dir)) {
            Scenario.Result r = Scenario.run("test+unix:///default?socket=" + server.socket(), () -> {
                try {
                    server.awaitPlayed(pong);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });

            assertThat(r.serverUri()).isEqualTo("test:///default");
            assertThat(r.type()).isEqualTo("TEST");
            assertThat(r.libVersion()).isEqualTo(11_003_000L);
            assertThat(r.hostname()).isNotBlank();
            assertThat(r.domainNames()).containsExactly("test");
            assertThat(r.domain().name()).isEqualTo("test");
            assertThat(r.domain().uuid()).isEqualTo(UUID.fromString("6695eb01-f6a4-8304-79aa-97f2502e193f"));
            assertThat(r.domain().isActive()).isTrue();
            assertThat(r.info().state()).isEqualTo(DomainState.RUNNING);
            assertThat(r.info().vcpus()).isEqualTo(2);
            assertThat(r.info().maxMemKiB()).isEqualTo(8_388_608L);
            assertThat(r.info().memoryKiB()).isEqualTo(2_097_152L);
            assertThat(r.running().state()).isEqualTo(DomainState.RUNNING);
            assertThat(r.xml()).contains("<name>test</name>", "6695eb01-f6a4-8304-79aa-97f2502e193f");
            assertThat(r.p2p()).isFalse();
            assertThat(r.job()).isNull();
            assertThat(r.jobError().code()).isEqualTo(ErrorCode.NO_SUPPORT);
            assertThat(r.jobError()).hasMessageContaining("virDomainGetJobInfo");
            assertThat(r.events())
                    .extracting(e -> ((DomainEvent.Lifecycle) e).type())
                    .containsExactly(DomainEventType.SUSPENDED, DomainEventType.RESUMED);
            assertThat(r.events()).allSatisfy(e -> assertThat(e.domain().name()).isEqualTo("test"));
            assertThat(r.paused().reason()).isEqualTo(StateReason.PAUSED_USER);
            assertThat(r.resumed().reason()).isEqualTo(StateReason.RUNNING_UNPAUSED);
            assertThat(r.missing().code()).isEqualTo(ErrorCode.NO_DOMAIN);
            assertThat(r.missing()).hasMessage("Domain not found");
            assertThat(r.aliveBeforeClose()).isTrue();

            server.awaitPlayed(session.size() - 1);
            assertThat(server.mismatches()).isEmpty();
            assertThat(server.done()).isEqualTo(session.size());
        }
    }

    private static int indexOfPong() {
        for (int i = 0; i < session.size(); i++) {
            if (session.get(i).fromClient()
                    && Keepalive.isPong(session.get(i).decode().header())) {
                return i;
            }
        }
        throw new AssertionError("the recording has no PONG");
    }
}
