package io.jvirt.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.proto.RemoteProcedures;
import io.jvirt.rpc.wire.Keepalive;
import io.jvirt.rpc.wire.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keepalive both ways, and what callers see when the server goes away. */
class ConnectionLossTest {
    @TempDir
    Path dir;

    @Test
    void serverPingIsAnsweredWithPong() throws Exception {
        try (FakeLibvirtServer server = new FakeLibvirtServer(dir);
                var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var opening = CompletableFuture.supplyAsync(
                    () -> RemoteConnection.open(server.uri(), RemoteOptions.DEFAULTS), pool);
            server.handshake(false);
            try (RemoteConnection c = opening.get(5, TimeUnit.SECONDS)) {
                server.send(Keepalive.ping());
                Message answer = server.readCall();
                assertThat(Keepalive.isPong(answer.header()))
                        .as("client's answer %s", answer.header())
                        .isTrue();
                assertThat(answer.header().serial()).isZero();
                assertThat(answer.payloadSize()).isZero();
                assertThat(c.isAlive()).isTrue();
                server.dropClient();
            }
        }
    }

    @Test
    void silentServerIsDeclaredDeadAfterCountPings() throws Exception {
        try (FakeLibvirtServer server = new FakeLibvirtServer(dir);
                var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            RemoteOptions fast = RemoteOptions.DEFAULTS.withKeepalive(Duration.ofMillis(100), 3);
            var opening = CompletableFuture.supplyAsync(() -> RemoteConnection.open(server.uri(), fast), pool);
            server.handshake(true);
            RemoteConnection c = opening.get(5, TimeUnit.SECONDS);
            var pending = CompletableFuture.supplyAsync(c::hostname, pool);
            server.expect(RemoteProcedures.CONNECT_GET_HOSTNAME);
            AtomicInteger pings = new AtomicInteger();
            pool.submit(() -> {
                while (true) {
                    var m = server.read();
                    if (m.isEmpty()) {
                        return null;
                    }
                    if (Keepalive.isPing(m.get().header())) {
                        pings.incrementAndGet();
                    }
                }
            });
            await().atMost(Duration.ofSeconds(3)).until(() -> !c.isAlive());
            assertThat(pings.get()).isEqualTo(3);
            assertThatThrownBy(() -> pending.get(1, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(VirtException.class)
                    .hasMessageContaining("keepalive timeout");
            assertThat(c.failure().code()).isEqualTo(ErrorCode.RPC);
            c.close();
        }
    }

    @Test
    void lostSocketFailsPendingCallsAtOnceAndLaterCallsToo() throws Exception {
        try (FakeLibvirtServer server = new FakeLibvirtServer(dir);
                var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var opening = CompletableFuture.supplyAsync(
                    () -> RemoteConnection.open(server.uri(), RemoteOptions.DEFAULTS), pool);
            server.handshake(true);
            RemoteConnection c = opening.get(5, TimeUnit.SECONDS);
            var first = CompletableFuture.supplyAsync(c::hostname, pool);
            var second = CompletableFuture.supplyAsync(() -> c.lookupByName("g1"), pool);
            server.readCall();
            server.readCall();
            server.dropClient();
            for (var call : java.util.List.of(first, second)) {
                assertThatThrownBy(() -> call.get(2, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause()
                        .isInstanceOf(VirtException.class)
                        .hasMessageStartingWith("End of file while reading data")
                        .satisfies(e -> assertThat(((VirtException) e).code()).isEqualTo(ErrorCode.SYSTEM_ERROR));
            }
            assertThat(c.isAlive()).isFalse();
            assertThatThrownBy(c::hostname)
                    .isInstanceOf(VirtException.class)
                    .hasMessageContaining("End of file while reading data");
            c.close();
        }
    }
}
