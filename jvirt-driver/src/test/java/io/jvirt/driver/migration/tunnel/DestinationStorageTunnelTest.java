package io.jvirt.driver.migration.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.nativeio.UnixServerSocket;
import io.jvirt.nativeio.UnixSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The destination's end of storage through the tunnel, with a unix socket standing in for QEMU's NBD server and a
 * pipe for the stream: the server speaks first and is heard before any request, requests and answers flow both
 * ways, and the ends, refusals and close leave no thread and no socket.
 */
class DestinationStorageTunnelTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Path socket;
    private UnixServerSocket nbdServer;
    private DestinationStorageTunnel tunnel;
    private Pipe requests;
    private Answers answers;

    @BeforeEach
    void open() throws Exception {
        socket = dir.resolve("g.nbd-in");
        nbdServer = UnixServerSocket.bind(socket);
        tunnel = new DestinationStorageTunnel("g", socket);
        requests = Pipe.open();
        answers = new Answers();
    }

    @AfterEach
    void close() throws Exception {
        tunnel.close();
        nbdServer.close();
        requests.sink().close();
        requests.source().close();
        await().atMost(WAIT).until(() -> threadsOf("g").isEmpty());
    }

    @Test
    void theServerIsHeardFirstThenRequestsAndAnswersFlowBothWays() throws Exception {
        tunnel.add(0, requests.source(), answers);
        try (UnixSocket server = nbdServer.accept()) {
            send(server, "NBDMAGIC");
            await().atMost(WAIT).until(() -> answers.text().equals("NBDMAGIC"));

            requests.sink().write(bytes("write 4096"));
            assertThat(receive(server, 10)).isEqualTo("write 4096");
            send(server, "ok");
            await().atMost(WAIT).until(() -> answers.text().equals("NBDMAGICok"));

            requests.sink().close(); // the source's end of its requests
            assertThat(server.read(new byte[1], 0, 1))
                    .as("the server sees the end")
                    .isEqualTo(-1);
        }
        await().atMost(WAIT).until(() -> !answers.isOpen());
        assertThat(requests.source().isOpen())
                .as("the requests are closed at their end")
                .isFalse();
        await().atMost(WAIT).until(() -> threadsOf("g").isEmpty());
    }

    @Test
    void closeEndsALiveConnectionAndRemovesTheSocket() throws Exception {
        tunnel.add(3, requests.source(), answers);
        try (UnixSocket server = nbdServer.accept()) {
            tunnel.close();
            assertThat(server.read(new byte[1], 0, 1)).isEqualTo(-1);
        }
        assertThat(requests.source().isOpen()).isFalse();
        await().atMost(WAIT).until(() -> !answers.isOpen());
        assertThat(socket).doesNotExist();
    }

    @Test
    void aConnectionAfterCloseIsRefusedAndItsChannelsClosed() throws Exception {
        tunnel.close();
        assertThatThrownBy(() -> tunnel.add(1, requests.source(), answers))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_INVALID);
                    assertThat(e.getMessage()).contains("NBD connection 1 of domain 'g' is too late");
                });
        assertThat(requests.source().isOpen()).isFalse();
        assertThat(answers.isOpen()).isFalse();
    }

    @Test
    void aServerThatIsNotThereIsRefusedAndTheChannelsClosed() throws Exception {
        nbdServer.close();
        assertThatThrownBy(() -> tunnel.add(0, requests.source(), answers))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_FAILED);
                    assertThat(e.getMessage()).contains("cannot connect NBD connection 0 of domain 'g' to " + socket);
                });
        assertThat(requests.source().isOpen()).isFalse();
        assertThat(answers.isOpen()).isFalse();
    }

    private static java.util.List<String> threadsOf(String domain) {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> n.startsWith("jvirt-tunnel-") && n.contains("-" + domain + "-"))
                .toList();
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static void send(UnixSocket s, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        s.write(b, 0, b.length);
    }

    private static String receive(UnixSocket s, int length) throws IOException {
        byte[] b = new byte[length];
        int got = 0;
        while (got < length) {
            int n = s.read(b, got, length - got);
            if (n < 0) {
                break;
            }
            got += n;
        }
        return new String(b, 0, got, StandardCharsets.US_ASCII);
    }

    /** What goes back to the source, collected. */
    static final class Answers implements WritableByteChannel {
        private final ByteArrayOutputStream got = new ByteArrayOutputStream();
        private volatile boolean open = true;

        @Override
        public synchronized int write(ByteBuffer src) throws IOException {
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
