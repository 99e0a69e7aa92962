package io.jvirt.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.rpc.proto.Cookie;
import io.jvirt.rpc.proto.RemoteProcedures;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageStatus;
import io.jvirt.rpc.wire.MessageType;
import io.jvirt.rpc.wire.StreamPackets;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tunnelled-migration stream (304) both ways, against a server that stops reading or a reader that lags. */
class RemoteStreamTest {
    private static final int CHUNK = 65_536;

    @TempDir
    Path dir;

    @Test
    void senderBlocksWhileTheServerDoesNotRead() throws Exception {
        byte[] data = new byte[32 << 20];
        new Random(7).nextBytes(data);
        try (FakeLibvirtServer server = new FakeLibvirtServer(dir);
                var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            RemoteConnection c = open(server, pool, RemoteOptions.DEFAULTS);
            var prepared = CompletableFuture.supplyAsync(() -> c.migratePrepareTunnel3(List.of(), "<c/>", 7), pool);
            Message call = server.expect(RemoteProcedures.DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS);
            server.reply(call, RemoteProcedures.DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS, new Cookie("dst\0".getBytes()));
            TunnelPrepared tunnel = prepared.get(5, TimeUnit.SECONDS);
            assertThat(tunnel.cookie()).isEqualTo("dst");

            var sending = CompletableFuture.runAsync(
                    () -> {
                        tunnel.stream().send(data);
                        tunnel.stream().finish();
                    },
                    pool);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !sending.isDone());

            ByteArrayOutputStream got = new ByteArrayOutputStream();
            while (true) {
                Message m = server.readCall();
                assertThat(m.header().type()).isEqualTo(MessageType.STREAM);
                assertThat(m.header().serial()).isEqualTo(call.header().serial());
                if (m.header().status() == MessageStatus.OK) {
                    break;
                }
                assertThat(m.payloadSize()).isLessThanOrEqualTo(262_120);
                byte[] b = new byte[m.payloadSize()];
                m.payload().duplicate().get(b);
                got.write(b);
            }
            server.send(StreamPackets.finish(call.header()));
            sending.get(5, TimeUnit.SECONDS);
            assertThat(got.toByteArray()).isEqualTo(data);
            server.dropClient();
            c.close();
        }
    }

    @Test
    void readerStopsReadingWhenTheStreamBufferIsFull() throws Exception {
        byte[] data = new byte[8 << 20];
        new Random(11).nextBytes(data);
        try (FakeLibvirtServer server = new FakeLibvirtServer(dir);
                var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            RemoteConnection c = open(server, pool, RemoteOptions.DEFAULTS.withStreamBufferBytes(4 * CHUNK));
            var prepared = CompletableFuture.supplyAsync(() -> c.migratePrepareTunnel3(List.of(), null, 0), pool);
            Message call = server.expect(RemoteProcedures.DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS);
            server.reply(call, RemoteProcedures.DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS, Cookie.EMPTY);
            RemoteStream stream = prepared.get(5, TimeUnit.SECONDS).stream();

            var serving = CompletableFuture.runAsync(
                    () -> {
                        try {
                            for (int off = 0; off < data.length; off += CHUNK) {
                                server.send(StreamPackets.data(call.header(), ByteBuffer.wrap(data, off, CHUNK)));
                            }
                            server.send(StreamPackets.endOfData(call.header()));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    pool);
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> !serving.isDone() && stream.bufferedBytes() <= 4 * CHUNK);

            ByteArrayOutputStream got = new ByteArrayOutputStream();
            for (ByteBuffer b = stream.receive(); b != null; b = stream.receive()) {
                byte[] a = new byte[b.remaining()];
                b.get(a);
                got.write(a);
            }
            serving.get(5, TimeUnit.SECONDS);
            assertThat(got.toByteArray()).isEqualTo(data);
            assertThat(c.isAlive()).isTrue();
            server.dropClient();
            c.close();
        }
    }

    private static RemoteConnection open(
            FakeLibvirtServer server, java.util.concurrent.ExecutorService pool, RemoteOptions options)
            throws Exception {
        var opening = CompletableFuture.supplyAsync(() -> RemoteConnection.open(server.uri(), options), pool);
        server.handshake(false);
        return opening.get(5, TimeUnit.SECONDS);
    }
}
