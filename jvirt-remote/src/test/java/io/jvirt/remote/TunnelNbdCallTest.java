package io.jvirt.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.rpc.proto.JvirtProcedures;
import io.jvirt.rpc.proto.JvirtProcedures.TunnelChannelArgs;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageStatus;
import io.jvirt.rpc.wire.MessageType;
import io.jvirt.rpc.wire.Program;
import io.jvirt.rpc.wire.StreamPackets;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jvirt's NBD tunnel call on the client: the call names the domain and the connection in jvirt's program, the
 * requests go out as the stream's data and its finish, the server's answers come back on the same stream into the
 * answers channel, which is closed at the server's end of data, or once the finish was confirmed.
 */
class TunnelNbdCallTest {
    @TempDir
    Path dir;

    @Test
    void requestsGoOutAnswersComeBackOnTheSameStream() throws Exception {
        try (FakeLibvirtServer server = new FakeLibvirtServer(dir);
                var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var opening = CompletableFuture.supplyAsync(
                    () -> RemoteConnection.open(server.uri(), RemoteOptions.DEFAULTS), pool);
            server.handshake(false);
            RemoteConnection c = opening.get(5, TimeUnit.SECONDS);
            Pipe requests = Pipe.open();
            Answers answers = new Answers();

            var calling =
                    CompletableFuture.runAsync(() -> c.migrateTunnelNbd("g", 3, requests.source(), answers), pool);
            Message call = server.expect(JvirtProcedures.MIGRATE_TUNNEL_NBD);
            assertThat(call.header().program()).isEqualTo(Program.JVIRT.number());
            assertThat(call.decode(TunnelChannelArgs.CODEC)).isEqualTo(new TunnelChannelArgs("g", 3));
            server.reply(call, JvirtProcedures.MIGRATE_TUNNEL_NBD, null);
            calling.get(5, TimeUnit.SECONDS);

            server.send(StreamPackets.data(call.header(), ascii("NBDMAGIC")));
            await().atMost(Duration.ofSeconds(5)).until(() -> answers.text().equals("NBDMAGIC"));

            requests.sink().write(ascii("write"));
            requests.sink().close();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            while (true) {
                Message m = server.readCall();
                assertThat(m.header().type()).isEqualTo(MessageType.STREAM);
                if (m.header().status() == MessageStatus.OK) {
                    break;
                }
                byte[] b = new byte[m.payloadSize()];
                m.payload().duplicate().get(b);
                got.write(b);
            }
            assertThat(got.toString(StandardCharsets.US_ASCII)).isEqualTo("write");
            assertThat(answers.isOpen())
                    .as("answers wait for the finish's confirmation")
                    .isTrue();

            server.send(StreamPackets.finish(call.header()));
            await().atMost(Duration.ofSeconds(5)).until(() -> !answers.isOpen());
            assertThat(requests.source().isOpen()).isFalse();
            server.dropClient();
            c.close();
        }
    }

    @Test
    void theServersEndOfDataClosesTheAnswers() throws Exception {
        try (FakeLibvirtServer server = new FakeLibvirtServer(dir);
                var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var opening = CompletableFuture.supplyAsync(
                    () -> RemoteConnection.open(server.uri(), RemoteOptions.DEFAULTS), pool);
            server.handshake(false);
            RemoteConnection c = opening.get(5, TimeUnit.SECONDS);
            Pipe requests = Pipe.open();
            Answers answers = new Answers();
            var calling =
                    CompletableFuture.runAsync(() -> c.migrateTunnelNbd("g", 0, requests.source(), answers), pool);
            Message call = server.expect(JvirtProcedures.MIGRATE_TUNNEL_NBD);
            server.reply(call, JvirtProcedures.MIGRATE_TUNNEL_NBD, null);
            calling.get(5, TimeUnit.SECONDS);

            server.send(StreamPackets.data(call.header(), ascii("bye")));
            server.send(StreamPackets.endOfData(call.header()));

            await().atMost(Duration.ofSeconds(5)).until(() -> !answers.isOpen());
            assertThat(answers.text()).isEqualTo("bye");
            requests.sink().close();
            server.dropClient();
            c.close();
        }
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** What the server answered, collected. */
    private static final class Answers implements WritableByteChannel {
        private final ByteArrayOutputStream got = new ByteArrayOutputStream();
        private volatile boolean open = true;

        @Override
        public synchronized int write(ByteBuffer src) throws ClosedChannelException {
            if (!open) {
                throw new ClosedChannelException();
            }
            int n = src.remaining();
            byte[] b = new byte[n];
            src.get(b);
            got.write(b, 0, n);
            return n;
        }

        synchronized String text() {
            return got.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
