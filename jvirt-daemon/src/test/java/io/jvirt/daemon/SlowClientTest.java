package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainEventDetail;
import io.jvirt.api.DomainEventType;
import io.jvirt.api.DomainRef;
import io.jvirt.rpc.proto.ConnectWire.EventCallbackRegisterArgs;
import io.jvirt.rpc.proto.RemoteProcedures;
import io.jvirt.rpc.wire.MessageEncoder;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that sends but never reads what the daemon sends back, over the daemon's real socket: the daemon's memory
 * for it stays bounded (it stops reading the client's calls; its events wait in a bounded queue), other clients are
 * served meanwhile, and the silent reader is dropped.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SlowClientTest {
    @TempDir
    Path tmp;

    private final FakeConnection fake = new FakeConnection();

    private DaemonConfig config() {
        // keepalive 1 s × 1: a frame stuck for 2 s means the client does not read.
        return DaemonConfig.forRoot(tmp, tmp.resolve("run")).withKeepalive(1, 1);
    }

    private static SocketChannel connect(Daemon d) throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(d.rwSocket()));
    }

    @Test
    void aClientThatNeverReadsItsEventsIsDroppedWhileOthersAreServed() throws IOException {
        DomainRef g1 = fake.add("g1", 1);
        try (Daemon d = Daemon.start(config(), fake, false);
                SocketChannel slow = connect(d);
                SocketChannel other = connect(d)) {
            new WireClient(slow, slow)
                    .invoke(
                            RemoteProcedures.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
                            new EventCallbackRegisterArgs(ClientEvents.ID_LIFECYCLE, null));
            WireClient served = new WireClient(other, other);
            await().atMost(Duration.ofSeconds(5)).until(() -> d.clientCount() == 2);
            DomainEvent e =
                    new DomainEvent.Lifecycle(g1, DomainEventType.SUSPENDED, DomainEventDetail.SUSPENDED_PAUSED);
            // Far more events than fit the socket buffers and the client's queue together.
            for (int i = 0; i < 200_000 && d.clientCount() == 2; i++) {
                fake.listeners.forEach(l -> l.onEvent(e));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> d.clientCount() == 1);
            assertThat(served.invoke(RemoteProcedures.CONNECT_GET_HOSTNAME, null))
                    .isEqualTo("fakehost");
        }
    }

    @Test
    void aClientThatSendsCallsButNeverReadsIsThrottledThenDropped() throws IOException {
        try (Daemon d = Daemon.start(config(), fake, false);
                SocketChannel flooder = connect(d);
                SocketChannel other = connect(d)) {
            WireClient served = new WireClient(other, other);
            await().atMost(Duration.ofSeconds(5)).until(() -> d.clientCount() == 2);
            flooder.configureBlocking(false);
            MessageEncoder encoder = new MessageEncoder();
            long sent = 0;
            boolean blocked = false;
            for (int serial = 0; serial < 1_000_000 && !blocked; serial++) {
                ByteBuffer frame = encoder.encode(RemoteProcedures.CONNECT_GET_CAPABILITIES.call(serial, null));
                int before = frame.remaining();
                sent += flooder.write(frame);
                blocked = frame.remaining() == before;
            }
            // The daemon stopped reading: its calls in flight are bounded by max_client_requests, not by the client.
            assertThat(blocked)
                    .as("the daemon stopped taking calls after %d bytes", sent)
                    .isTrue();
            assertThat(served.invoke(RemoteProcedures.CONNECT_GET_HOSTNAME, null))
                    .isEqualTo("fakehost");
            await().atMost(Duration.ofSeconds(10)).until(() -> d.clientCount() == 1);
            assertThat(served.invoke(RemoteProcedures.CONNECT_GET_TYPE, null)).isEqualTo("QEMU");
        }
    }
}
