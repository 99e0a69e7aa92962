package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageLimits;
import io.jvirt.rpc.wire.MessageType;
import io.jvirt.rpc.wire.Program;
import io.jvirt.rpc.wire.StreamPackets;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The way back of a two-way stream (jvirt's NBD tunnel call): data packets of the call's stream, cut at libvirt's
 * chunk, only after the call's OK reply, ended by an empty packet, and refused once the stream is over.
 */
class StreamRepliesTest {
    private final Header call = Header.call(Program.JVIRT, 2, 7);
    private final List<Message> sent = new CopyOnWriteArrayList<>();
    private final IncomingStream stream = new IncomingStream(call, sent::add, () -> {}, () -> null);
    private final StreamReplies replies = new StreamReplies(stream, sent::add);

    @Test
    void writesWaitForTheCallsReplyThenGoOutAsTheStreamsDataInChunks() throws Exception {
        byte[] answer = new byte[MessageLimits.STREAM_CHUNK_MAX + 100];
        answer[answer.length - 1] = 42;
        CompletableFuture<Integer> written = CompletableFuture.supplyAsync(() -> {
            try {
                return replies.write(ByteBuffer.wrap(answer));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Awaitility.await()
                .during(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(2))
                .until(() -> !written.isDone());
        assertThat(sent).isEmpty();

        stream.opened();

        assertThat(written.get(5, TimeUnit.SECONDS)).isEqualTo(answer.length);
        assertThat(sent).hasSize(2).allSatisfy(m -> {
            assertThat(m.header().type()).isEqualTo(MessageType.STREAM);
            assertThat(m.header().serial()).isEqualTo(7);
            assertThat(m.header().program()).isEqualTo(call.program());
            assertThat(StreamPackets.kind(m)).isEqualTo(StreamPackets.Kind.DATA);
        });
        assertThat(sent.get(0).payloadSize()).isEqualTo(MessageLimits.STREAM_CHUNK_MAX);
        assertThat(sent.get(1).payloadSize()).isEqualTo(100);
        assertThat(sent.get(1).payload().get(99)).isEqualTo((byte) 42);

        replies.close();
        assertThat(sent).hasSize(3);
        assertThat(StreamPackets.kind(sent.get(2))).isEqualTo(StreamPackets.Kind.END_OF_DATA);
        assertThatThrownBy(() -> replies.write(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void aStreamTheClientAbortedTakesNoMoreAndGetsNoEnd() throws Exception {
        stream.opened();
        stream.onPacket(StreamPackets.abort(call));
        sent.clear();

        assertThatThrownBy(() -> replies.write(ByteBuffer.allocate(16))).isInstanceOf(AsynchronousCloseException.class);
        replies.close();
        assertThat(sent).isEmpty();
    }

    @Test
    void aRefusedCallWakesAWaitingWriter() throws Exception {
        CompletableFuture<Integer> written = CompletableFuture.supplyAsync(() -> {
            try {
                return replies.write(ByteBuffer.allocate(16));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        stream.sessionClosed(); // what an error reply does to the stream

        assertThatThrownBy(() -> written.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseInstanceOf(AsynchronousCloseException.class);
        assertThat(sent).isEmpty();
    }
}
