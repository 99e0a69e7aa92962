package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageStatus;
import io.jvirt.rpc.wire.Program;
import io.jvirt.rpc.wire.StreamPackets;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The destination's incoming stream: lent buffers carry the packets in order, with back-pressure, then the end. */
class IncomingStreamTest {
    private final Header call = Header.call(Program.REMOTE, 304, 11);
    private final List<Message> replies = new CopyOnWriteArrayList<>();
    private final IncomingStream stream = new IncomingStream(call, replies::add, () -> {}, () -> null);

    @Test
    void packetsInLentBuffersAreReadInOrderAndTheFinishIsConfirmedAfterTheEnd() throws Exception {
        stream.opened();
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer dst = ByteBuffer.allocateDirect(100_000);
        for (int p = 0; p < 20; p++) {
            byte[] data = new byte[IncomingStream.LEND_BYTES - p];
            java.util.Arrays.fill(data, (byte) p);
            deliver(data);
            sent.write(data);
            drainInto(dst, got, sent.size());
        }
        stream.onPacket(StreamPackets.finish(call));

        assertThat(stream.read(dst.clear())).isEqualTo(-1);
        stream.close();
        assertThat(got.toByteArray()).isEqualTo(sent.toByteArray());
        assertThat(replies).extracting(m -> StreamPackets.kind(m)).containsExactly(StreamPackets.Kind.FINISH);
    }

    @Test
    void lendingWaitsWhileFullPacketsQueueAndStopsWhenTheDriverCloses() throws Exception {
        stream.opened();
        for (int p = 0; p < IncomingStream.MAX_QUEUED; p++) {
            deliver(new byte[1000]);
        }
        CompletableFuture<ByteBuffer> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return stream.lend(1000);
            } catch (InterruptedException | java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Awaitility.await()
                .during(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(2))
                .until(() -> !blocked.isDone());

        stream.close();

        assertThat(blocked.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(replies).extracting(m -> m.header().status()).containsExactly(MessageStatus.ERROR);
    }

    private void deliver(byte[] data) throws Exception {
        ByteBuffer lent = stream.lend(data.length);
        assertThat(lent).isNotNull();
        lent.clear();
        lent.put(data).flip();
        stream.onPacket(StreamPackets.data(call, lent), lent);
    }

    private void drainInto(ByteBuffer dst, ByteArrayOutputStream got, int upTo) throws Exception {
        while (got.size() < upTo) {
            dst.clear();
            int n = stream.read(dst);
            dst.flip();
            byte[] chunk = new byte[n];
            dst.get(chunk);
            got.write(chunk);
        }
    }
}
