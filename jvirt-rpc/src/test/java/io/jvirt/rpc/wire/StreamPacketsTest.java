package io.jvirt.rpc.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.rpc.Hex;
import io.jvirt.rpc.wire.StreamPackets.Hole;
import io.jvirt.rpc.wire.StreamPackets.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class StreamPacketsTest {
    private final Header call = Header.call(Program.REMOTE, 304, 9);

    @Test
    void dataIsRawBytesOnTheCallsProcedureAndSerial() throws Exception {
        Message data = StreamPackets.data(call, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MessageEncoder().write(out, data);
        assertThat(out.toByteArray()).isEqualTo(Hex.bytes("""
                0000001f
                20008086 00000001 00000130 00000003 00000009 00000002
                010203
                """));
        Message back = Frames.read(new ByteArrayInputStream(out.toByteArray())).orElseThrow();
        assertThat(StreamPackets.kind(back)).isEqualTo(Kind.DATA);
        assertThat(back.payload()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    }

    @Test
    void eachControlPacketIsClassifiedAsItsPeerReadsIt() {
        assertThat(StreamPackets.kind(StreamPackets.endOfData(call))).isEqualTo(Kind.END_OF_DATA);
        assertThat(StreamPackets.kind(StreamPackets.finish(call))).isEqualTo(Kind.FINISH);
        assertThat(StreamPackets.kind(StreamPackets.abort(call))).isEqualTo(Kind.ABORT);
        Message error = StreamPackets.error(call, RemoteError.rpc("write failed"));
        assertThat(StreamPackets.kind(error)).isEqualTo(Kind.ERROR);
        assertThat(error.decode(RemoteError.CODEC).message()).isEqualTo("write failed");
        assertThat(StreamPackets.finish(call).header())
                .isEqualTo(new Header(0x20008086, 1, 304, MessageType.STREAM, 9, MessageStatus.OK));
    }

    @Test
    void aHoleCarriesItsLengthAndFlags() {
        Message hole = StreamPackets.hole(call, new Hole(1L << 33, 1));
        assertThat(StreamPackets.kind(hole)).isEqualTo(Kind.HOLE);
        assertThat(hole.header().type()).isEqualTo(MessageType.STREAM_HOLE);
        byte[] payload = new byte[hole.payloadSize()];
        hole.payload().duplicate().get(payload);
        assertThat(payload).isEqualTo(Hex.bytes("00000002 00000000 00000001"));
        assertThat(hole.decode(Hole.CODEC)).isEqualTo(new Hole(1L << 33, 1));
    }

    @Test
    void onlyStreamPacketsHaveAStreamKind() {
        assertThatThrownBy(() -> StreamPackets.kind(Keepalive.ping())).isInstanceOf(IllegalArgumentException.class);
    }
}
