package io.jvirt.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpliceSocketTest {
    private ServerSocketChannel server;
    private SocketChannel client;
    private SocketChannel accepted;
    private Pipe pipe;

    @BeforeEach
    void connect() throws Exception {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(server.getLocalAddress());
        accepted = server.accept();
        pipe = Pipe.open(1 << 20);
    }

    @AfterEach
    void disconnect() throws Exception {
        client.close();
        accepted.close();
        server.close();
        NativeFds.closeQuietly(pipe.readFd());
        NativeFds.closeQuietly(pipe.writeFd());
    }

    @Test
    void theTestJvmLetsJvirtReadAChannelsDescriptor() {
        assertThat(SpliceSocket.available()).isTrue();
    }

    @Test
    void bytesInAPipeGoOutOfTheSocketWhole() throws Exception {
        byte[] payload = random(700_001);
        NativeFds.write(pipe.writeFd(), payload, 0, payload.length);
        CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> readFully(accepted, payload.length));
        try (SpliceSocket s = SpliceSocket.of(client).orElseThrow()) {
            assertThat(PipeWait.awaitBytes(pipe.readFd())).isEqualTo(payload.length);
            s.fromPipe(pipe.readFd(), payload.length);
        }
        assertThat(got.get()).isEqualTo(payload);
        assertThat(client.isOpen()).as("the channel keeps its own descriptor").isTrue();
    }

    @Test
    void bytesFromANonBlockingSocketLandInThePipeAcrossManyReads() throws Exception {
        byte[] payload = random(3 * 1024 * 1024 + 5);
        accepted.configureBlocking(false); // as the JDK leaves a socket that virtual threads used
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                client.write(ByteBuffer.wrap(payload));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        CompletableFuture<byte[]> drained = CompletableFuture.supplyAsync(() -> {
            try (FdInputStream in = new FdInputStream(pipe.readFd(), 65536)) {
                return in.readNBytes(payload.length);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        try (SpliceSocket s = SpliceSocket.of(accepted).orElseThrow()) {
            s.toPipe(pipe.writeFd(), payload.length);
        }
        writer.join();
        assertThat(drained.get()).isEqualTo(payload);
    }

    @Test
    void aPeerThatHangsUpMidPacketIsAnEndOfFile() throws Exception {
        client.write(ByteBuffer.wrap(random(10)));
        client.close();
        try (SpliceSocket s = SpliceSocket.of(accepted).orElseThrow()) {
            assertThatThrownBy(() -> s.toPipe(pipe.writeFd(), 100))
                    .isInstanceOf(EOFException.class)
                    .hasMessageContaining("90 bytes into a packet");
        }
    }

    @Test
    void closingWakesATransferWaitingForData() throws Exception {
        SpliceSocket s = SpliceSocket.of(accepted).orElseThrow();
        CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                s.toPipe(pipe.writeFd(), 10);
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        s.close();
        assertThat(waiting.get()).isNotNull();
    }

    @Test
    void aPipeWithNoWriterLeftReportsItsEnd() throws Exception {
        Pipe own = Pipe.open(0);
        NativeFds.close(own.writeFd());
        try {
            assertThat(PipeWait.awaitBytes(own.readFd())).isZero();
        } finally {
            NativeFds.close(own.readFd());
        }
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private static byte[] readFully(SocketChannel ch, int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        try {
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // keep reading
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return b.array();
    }
}
