package io.jvirt.driver.migration.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.nativeio.UnixSocket;
import io.jvirt.qmp.NbdAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source's end of storage through the tunnel, with unix sockets standing in for QEMU's NBD client connections
 * and a recording carrier for the streams to the destination: each connection is carried both ways and numbered,
 * a refused one or one whose answers end is ended at once, losses are reported, and close ends everything.
 */
class SourceStorageTunnelTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final BlockingQueue<Carried> carried = new LinkedBlockingQueue<>();
    private final AtomicReference<VirtException> memoryLost = new AtomicReference<>();
    private final AtomicReference<VirtException> linkLost = new AtomicReference<>();
    private final AtomicBoolean memoryClosed = new AtomicBoolean();
    private final AtomicBoolean linkClosed = new AtomicBoolean();
    private volatile VirtException refusal;
    private Path socket;
    private SourceStorageTunnel tunnel;

    private record Carried(int connection, ReadableByteChannel toDestination, WritableByteChannel toSource) {}

    private final OutgoingTransport memory = new OutgoingTransport() {
        @Override
        public String uri() {
            return "fd:migrate";
        }

        @Override
        public VirtException lost() {
            return memoryLost.get();
        }

        @Override
        public void close() {
            memoryClosed.set(true);
        }
    };

    @BeforeEach
    void open() {
        socket = dir.resolve("g.nbd-out");
        tunnel = SourceStorageTunnel.open(memory, "g", socket, (connection, toDestination, toSource) -> {
            VirtException refused = refusal;
            if (refused != null) {
                throw refused;
            }
            carried.add(new Carried(connection, toDestination, toSource));
            return new SourceStorageTunnel.Link(linkLost::get, () -> linkClosed.set(true));
        });
    }

    @AfterEach
    void close() {
        tunnel.close();
        tunnel.closeStorage();
        await().atMost(WAIT)
                .until(() -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().equals("jvirt-tunnel-nbd-accept-g")));
    }

    @Test
    void qemusConnectionsAreCarriedBothWaysInTheOrderTheyCome() throws Exception {
        assertThat(tunnel.nbdServer()).isEqualTo(NbdAddress.unix(socket.toString()));
        assertThat(tunnel.uri()).isEqualTo("fd:migrate");
        try (UnixSocket qemu = UnixSocket.connect(socket);
                UnixSocket second = UnixSocket.connect(socket)) {
            Carried first = next();
            assertThat(first.connection()).isZero();
            assertThat(next().connection()).isEqualTo(1);
            assertThat(second.isClosed()).isFalse();

            first.toSource().write(ascii("NBDMAGIC"));
            assertThat(receive(qemu, 8)).isEqualTo("NBDMAGIC");
            send(qemu, "request");
            ByteBuffer got = ByteBuffer.allocate(64);
            while (got.position() < 7) {
                assertThat(first.toDestination().read(got)).isNotNegative();
            }
            assertThat(new String(got.array(), 0, got.position(), StandardCharsets.US_ASCII))
                    .isEqualTo("request");
        }
        assertThat(tunnel.lost()).isNull();
    }

    @Test
    void theAnswersEndingEndsQemusConnection() throws Exception {
        try (UnixSocket qemu = UnixSocket.connect(socket)) {
            Carried c = next();
            c.toSource().close();
            assertThat(qemu.read(new byte[1], 0, 1))
                    .as("QEMU's NBD client sees the end")
                    .isEqualTo(-1);
            assertThatThrownBy(() -> c.toDestination().read(ByteBuffer.allocate(8)))
                    .as("the stream is not finished as if QEMU had ended it")
                    .isInstanceOf(AsynchronousCloseException.class);
        }
    }

    @Test
    void aRefusedConnectionIsEndedAndTheRefusalIsWhatIsLost() throws Exception {
        refusal =
                VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain 'g' is not receiving storage");
        try (UnixSocket qemu = UnixSocket.connect(socket)) {
            assertThat(qemu.read(new byte[1], 0, 1)).isEqualTo(-1);
        }
        await().atMost(WAIT).until(() -> tunnel.lost() != null);
        assertThat(tunnel.lost().getMessage()).contains("domain 'g' is not receiving storage");
    }

    @Test
    void theMemoryTunnelsLossComesFirstThenAnNbdLinks() throws Exception {
        try (UnixSocket qemu = UnixSocket.connect(socket)) {
            next();
            assertThat(qemu.isClosed()).isFalse();
            VirtException gone = VirtException.of(
                    ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "Lost connection to destination host");
            linkLost.set(gone);
            // The accepting thread registers the link just after the carrier returned it: wait for that.
            await().atMost(WAIT).until(() -> tunnel.lost() == gone);
            VirtException memoryGone =
                    VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "the memory's link");
            memoryLost.set(memoryGone);
            assertThat(tunnel.lost()).isSameAs(memoryGone);
        }
    }

    @Test
    void closeEndsTheMemoryTunnelButLeavesTheMirrorsConnections() throws Exception {
        try (UnixSocket qemu = UnixSocket.connect(socket)) {
            Carried c = next();
            tunnel.close();
            assertThat(memoryClosed).isTrue();
            c.toSource().write(ascii("reply"));
            assertThat(receive(qemu, 5))
                    .as("the mirror's connection still works")
                    .isEqualTo("reply");
            assertThat(linkClosed).isFalse();
            tunnel.closeStorage();
            assertThat(qemu.read(new byte[1], 0, 1)).isEqualTo(-1);
        }
        // A link the carrier returns just after closeStorage is closed by the accepting thread, not by the call.
        await().atMost(WAIT).untilTrue(linkClosed);
    }

    @Test
    void closeStorageEndsConnectionsLinksAndTheSocketButNotTheMemory() throws Exception {
        try (UnixSocket qemu = UnixSocket.connect(socket)) {
            next();
            tunnel.closeStorage();
            assertThat(qemu.read(new byte[1], 0, 1)).isEqualTo(-1);
        }
        // A link the carrier returns just after closeStorage is closed by the accepting thread, not by the call.
        await().atMost(WAIT).untilTrue(linkClosed);
        assertThat(socket).doesNotExist();
        assertThat(memoryClosed).isFalse();
        tunnel.close();
        assertThat(memoryClosed).isTrue();
    }

    private Carried next() throws InterruptedException {
        Carried c = carried.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(c).as("a connection carried").isNotNull();
        return c;
    }

    private static ByteBuffer ascii(String s) {
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
}
