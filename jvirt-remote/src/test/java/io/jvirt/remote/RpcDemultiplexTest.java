package io.jvirt.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.DomainRef;
import io.jvirt.rpc.proto.RemoteProcedures;
import io.jvirt.rpc.wire.Message;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several threads call at once on one connection; the server answers in reverse order. */
class RpcDemultiplexTest {
    @TempDir
    Path dir;

    @Test
    void repliesOutOfOrderReachTheirCallers() throws Exception {
        try (FakeLibvirtServer server = new FakeLibvirtServer(dir);
                var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var opening = CompletableFuture.supplyAsync(
                    () -> RemoteConnection.open(server.uri(), RemoteOptions.DEFAULTS), pool);
            server.handshake(false);
            try (RemoteConnection c = opening.get(5, TimeUnit.SECONDS)) {
                List<String> names = List.of("alpha", "beta", "gamma", "delta");
                List<CompletableFuture<DomainRef>> calls = new ArrayList<>();
                for (String n : names) {
                    calls.add(CompletableFuture.supplyAsync(() -> c.lookupByName(n), pool));
                }
                List<Message> received = new ArrayList<>();
                for (int i = 0; i < names.size(); i++) {
                    received.add(server.expect(RemoteProcedures.DOMAIN_LOOKUP_BY_NAME));
                }
                for (Message call : received.reversed()) {
                    String asked = RemoteProcedures.DOMAIN_LOOKUP_BY_NAME.decodeArgs(call);
                    server.reply(
                            call,
                            RemoteProcedures.DOMAIN_LOOKUP_BY_NAME,
                            new DomainRef(asked, UUID.nameUUIDFromBytes(asked.getBytes()), asked.length()));
                }
                for (int i = 0; i < names.size(); i++) {
                    DomainRef got = calls.get(i).get(5, TimeUnit.SECONDS);
                    assertThat(got.name()).isEqualTo(names.get(i));
                    assertThat(got.id()).isEqualTo(names.get(i).length());
                }
                assertThat(received).extracting(m -> m.header().serial()).doesNotHaveDuplicates();
                server.dropClient();
            }
        }
    }
}
