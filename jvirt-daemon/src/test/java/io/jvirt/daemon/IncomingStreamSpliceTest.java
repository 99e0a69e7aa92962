package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.nativeio.FdInputStream;
import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.Pipe;
import io.jvirt.nativeio.SpliceSocket;
import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageStatus;
import io.jvirt.rpc.wire.Program;
import io.jvirt.rpc.wire.StreamPackets;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The destination's incoming stream feeding a pipe: payloads go from the session's socket into the pipe by splice
 * on the pump's thread while the reader waits, after any packets queued before the pump started, all in order.
 */
class IncomingStreamSpliceTest {
    private final Header call = Header.call(Program.REMOTE, 304, 12);
    private final List<Message> replies = new CopyOnWriteArrayList<>();
    private ServerSocketChannel server;
    private SocketChannel client;
    private SocketChannel session;
    private SpliceSocket socket;
    private Pipe pipe;
    private IncomingStream stream;

    @BeforeEach
    void connect() throws Exception {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(server.getLocalAddress());
        session = server.accept();
        socket = SpliceSocket.of(session).orElseThrow();
        pipe = Pipe.open(1 << 16);
        stream = new IncomingStream(call, replies::add, () -> {}, () -> socket);
        stream.opened();
    }

    @AfterEach
    void close() throws Exception {
        stream.close();
        socket.close();
        client.close();
        session.close();
        server.close();
        NativeFds.closeQuietly(pipe.readFd());
    }

    @Test
    void queuedPacketsThenSplicedOnesReachThePipeInOrderAndTheEndFollows() throws Exception {
        byte[] early = bytes(1000, 1);
        ByteBuffer lent = stream.lend(early.length);
        lent.clear();
        lent.put(early).flip();
        stream.onPacket(StreamPackets.data(call, lent), lent);

        List<byte[]> later = List.of(bytes(300_000, 2), bytes(5, 3), bytes(262_120, 4));
        CompletableFuture<byte[]> drained = inThread(this::drainPipe);
        CompletableFuture<Long> pumped = inThread(this::pump);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(early);
        for (byte[] payload : later) {
            client.write(ByteBuffer.wrap(payload));
            expected.write(payload);
            // An offer may come before the pump has started feeding: then it is read as the session reads any.
            ByteBuffer where = stream.lend(payload.length);
            if (where != FrameReader.CONSUMED) {
                where = where != null ? where : ByteBuffer.allocate(payload.length);
                fill(where, payload.length);
                stream.onPacket(StreamPackets.data(call, where), where);
            } else {
                stream.onPacket(new Message(call.stream(MessageStatus.CONTINUE), where), where);
            }
        }
        stream.onPacket(StreamPackets.finish(call));
        assertThat(pumped.get()).isEqualTo(expected.size());
        assertThat(drained.get()).isEqualTo(expected.toByteArray());
        stream.close();
        assertThat(replies).extracting(m -> m.header().status()).containsExactly(MessageStatus.OK);
    }

    @Test
    void laterPayloadsAreSplicedOnceThePumpFeeds() throws Exception {
        CompletableFuture<byte[]> drained = inThread(this::drainPipe);
        CompletableFuture<Long> pumped = inThread(this::pump);
        org.awaitility.Awaitility.await().until(() -> pumped.isDone() || feedingStarted());
        byte[] payload = bytes(200_000, 7);
        client.write(ByteBuffer.wrap(payload));
        assertThat(stream.lend(payload.length)).isSameAs(FrameReader.CONSUMED);
        stream.onPacket(StreamPackets.finish(call));
        assertThat(pumped.get()).isEqualTo(payload.length);
        assertThat(drained.get()).isEqualTo(payload);
    }

    /** On a thread of its own: the common pool may have a single thread on a small machine. */
    private static <T> CompletableFuture<T> inThread(java.util.function.Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).start(() -> {
            try {
                result.complete(task.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    private boolean feedingStarted() {
        return stream.isFeeding();
    }

    private long pump() {
        long total = 0;
        try {
            while (true) {
                long n = stream.transferTo(pipe.writeFd());
                if (n < 0) {
                    return total;
                }
                total += n;
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            NativeFds.closeQuietly(pipe.writeFd());
        }
    }

    private byte[] drainPipe() {
        try (FdInputStream in = new FdInputStream(NativeFds.dup(pipe.readFd()), 1 << 16)) {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void fill(ByteBuffer where, int n) throws Exception {
        where.clear().limit(n);
        while (where.hasRemaining()) {
            session.read(where);
        }
        where.flip();
    }

    private static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
