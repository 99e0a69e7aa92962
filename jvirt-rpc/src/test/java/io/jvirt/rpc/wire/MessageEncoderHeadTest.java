package io.jvirt.rpc.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.rpc.xdr.XdrException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class MessageEncoderHeadTest {
    private final MessageEncoder encoder = new MessageEncoder();

    @Test
    void headFollowedByThePayloadIsTheWholeFrame() {
        ByteBuffer payload = ByteBuffer.allocateDirect(300_000);
        for (int i = 0; i < payload.capacity(); i++) {
            payload.put(i, (byte) (i * 31));
        }
        Message data = StreamPackets.data(Header.call(Program.REMOTE, 304, 7), payload.slice(0, 262_120));

        byte[] gathered = concat(encoder.encodeHead(data), data.payload());

        assertThat(gathered).isEqualTo(bytes(new MessageEncoder().encode(data)));
        Message back = Frames.decode(ByteBuffer.wrap(gathered, 4, gathered.length - 4));
        assertThat(back.header()).isEqualTo(data.header());
        assertThat(back.payload()).isEqualTo(data.payload());
    }

    @Test
    void headCarriesTheFdCountOfTypesWithFds() {
        Header h = new Header(
                Program.REMOTE.number(), Program.REMOTE.version(), 1, MessageType.CALL_WITH_FDS, 3, MessageStatus.OK);
        Message m = new Message(h, 2, ByteBuffer.wrap(new byte[] {0, 0, 0, 5}));

        assertThat(concat(encoder.encodeHead(m), m.payload())).isEqualTo(bytes(new MessageEncoder().encode(m)));
    }

    @Test
    void aPayloadOverTheFrameLimitIsRefusedBeforeAnythingIsSent() {
        Message huge = new Message(
                Header.call(Program.REMOTE, 304, 1).stream(MessageStatus.CONTINUE),
                ByteBuffer.allocate(MessageLimits.MAX));

        assertThatThrownBy(() -> encoder.encodeHead(huge)).isInstanceOf(XdrException.class);
    }

    private static byte[] concat(ByteBuffer head, ByteBuffer payload) {
        byte[] h = bytes(head);
        byte[] p = bytes(payload);
        byte[] all = new byte[h.length + p.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(p, 0, all, h.length, p.length);
        return all;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
