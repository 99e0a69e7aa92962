package io.jvirt.driver.migration.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.nativeio.SocketPair;
import io.jvirt.nativeio.SpliceSocket;
import io.jvirt.nativeio.UnixSocket;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One channel of the source's tunnel with several channels, on a socket pair standing in for QEMU's connection. */
class TunnelChannelSourceTest {
    /** Platform threads of their own: the calls block in the kernel, and the common pool may have one thread. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    private SocketPair qemu;
    private TunnelChannelSource channel;

    @BeforeEach
    void open() throws Exception {
        qemu = UnixSocket.pair();
        channel = new TunnelChannelSource();
    }

    @AfterEach
    void close() {
        channel.close();
        qemu.close();
        threads.shutdownNow();
    }

    @Test
    void aCopyingSenderReadsEveryByteThenTheEnd() throws Exception {
        byte[] sent = random(600_000);
        channel.connected(qemu.first());
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeAndEnd(sent), threads);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(100_000);
        while (channel.read(buf.clear()) >= 0) {
            got.write(buf.array(), 0, buf.position());
        }
        writer.get(10, TimeUnit.SECONDS);
        assertThat(got.toByteArray()).isEqualTo(sent);
        assertThat(channel.ended()).isTrue();
        assertThat(channel.bytes()).isEqualTo(sent.length);
    }

    @Test
    void aSplicingSenderWaitsForQemusConnectionAndMovesExactCounts() throws Exception {
        byte[] sent = random(300_000);
        try (ServerSocketChannel server =
                        ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                SocketChannel out = SocketChannel.open(server.getLocalAddress());
                SocketChannel peer = server.accept();
                SpliceSocket splice = SpliceSocket.of(out).orElseThrow()) {
            CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return channel.awaitBytes();
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    threads);
            assertThat(waiting).as("no connection from QEMU yet").isNotDone();
            channel.connected(qemu.first());
            // More than a socket pair buffers: QEMU's writes wait for the sender, as they do in a migration.
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(sent), threads);
            int n = waiting.get(10, TimeUnit.SECONDS);
            assertThat(n).isPositive();
            int moved = 0;
            while (moved < sent.length) {
                int now = moved == 0 ? n : channel.awaitBytes();
                channel.spliceTo(splice, now);
                moved += now;
            }
            ByteBuffer got = ByteBuffer.allocate(sent.length);
            while (got.hasRemaining()) {
                peer.read(got);
            }
            assertThat(got.array()).isEqualTo(sent);
            writer.get(10, TimeUnit.SECONDS);
            qemu.second().shutdownOutput();
            assertThat(channel.awaitBytes()).as("QEMU's clean end").isEqualTo(-1);
            assertThat(channel.ended()).isTrue();
        }
    }

    @Test
    void anAbortFailsAWaitingSenderInsteadOfEndingTheStream() throws Exception {
        CompletableFuture<Integer> beforeConnect = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return channel.awaitBytes();
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                },
                threads);
        channel.abort();
        assertThatThrownBy(() -> beforeConnect.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseInstanceOf(AsynchronousCloseException.class);
        assertThat(channel.ended()).isFalse();
        channel.connected(qemu.first());
        assertThat(qemu.first().isClosed())
                .as("a connection after the abort is closed at once")
                .isTrue();
        assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(16))).isInstanceOf(AsynchronousCloseException.class);
    }

    @Test
    void theSenderClosingItReleasesDrain() throws Exception {
        assertThat(channel.awaitReleased(0, TimeUnit.MILLISECONDS)).isFalse();
        channel.close();
        assertThat(channel.awaitReleased(0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(channel.isOpen()).isFalse();
    }

    private void writeAndEnd(byte[] b) {
        write(b);
        try {
            qemu.second().shutdownOutput();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void write(byte[] b) {
        try {
            qemu.second().write(b, 0, b.length);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
