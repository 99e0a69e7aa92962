package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageEncoder;
import io.jvirt.rpc.wire.MessageStatus;
import io.jvirt.rpc.wire.Program;
import io.jvirt.rpc.wire.StreamPackets;
import io.jvirt.rpc.xdr.XdrCodecs;
import io.jvirt.rpc.xdr.XdrException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The session's frame reader: stream data lands in the lent buffer, everything else decodes as before. */
class FrameReaderTest {
    private final Header call = Header.call(Program.REMOTE, 304, 5);

    @Test
    void dataGoesIntoTheLentBufferAndOtherFramesAreDecodedWhole() throws Exception {
        byte[] payload = new byte[100_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i % 251);
        }
        Message data = StreamPackets.data(call, ByteBuffer.wrap(payload));
        Message reply = Message.of(call.reply(MessageStatus.OK), XdrCodecs.INT, 42);
        FrameReader reader = new FrameReader(channelOf(data, StreamPackets.endOfData(call), reply));
        ByteBuffer lent = ByteBuffer.allocateDirect(262_120);
        List<Header> asked = new ArrayList<>();
        FrameReader.Lender lender = (h, n) -> {
            asked.add(h);
            return lent;
        };

        Message first = reader.next(lender).orElseThrow();
        Message second = reader.next(lender).orElseThrow();
        Message third = reader.next((h, n) -> null).orElseThrow();

        assertThat(first.header()).isEqualTo(data.header());
        assertThat(first.payload()).isEqualTo(ByteBuffer.wrap(payload));
        assertThat(lent.position()).isZero();
        assertThat(lent.limit()).isEqualTo(payload.length);
        assertThat(lent).isEqualTo(ByteBuffer.wrap(payload));
        assertThat(StreamPackets.kind(second)).isEqualTo(StreamPackets.Kind.END_OF_DATA);
        assertThat(asked).containsExactly(data.header());
        assertThat(third.decode(XdrCodecs.INT)).isEqualTo(42);
        assertThat(reader.next(lender)).isEqualTo(Optional.empty());
    }

    @Test
    void aFrameCutShortIsAnEndOfFileAndABadLengthAProtocolError() throws Exception {
        byte[] whole = bytesOf(StreamPackets.data(call, ByteBuffer.wrap(new byte[1000])));
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 10);
        FrameReader truncated = new FrameReader(Channels.newChannel(new ByteArrayInputStream(cut)));
        assertThatThrownBy(() -> truncated.next((h, n) -> ByteBuffer.allocate(n)))
                .isInstanceOf(EOFException.class);

        FrameReader tooSmall = new FrameReader(Channels.newChannel(new ByteArrayInputStream(new byte[] {0, 0, 0, 8})));
        assertThatThrownBy(() -> tooSmall.next((h, n) -> null)).isInstanceOf(XdrException.class);
    }

    private static java.nio.channels.ReadableByteChannel channelOf(Message... messages) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Message m : messages) {
            out.write(bytesOf(m));
        }
        return Channels.newChannel(new ByteArrayInputStream(out.toByteArray()));
    }

    private static byte[] bytesOf(Message m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MessageEncoder().write(out, m);
        return out.toByteArray();
    }
}
