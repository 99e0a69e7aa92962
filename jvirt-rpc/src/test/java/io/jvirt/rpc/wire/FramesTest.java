package io.jvirt.rpc.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.rpc.Hex;
import io.jvirt.rpc.xdr.XdrCodecs;
import io.jvirt.rpc.xdr.XdrException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FramesTest {

    @Test
    void aFrameWrittenIsReadBackFromAStreamAndAChannel() throws Exception {
        Header h = Header.call(Program.REMOTE, 60, 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessageEncoder encoder = new MessageEncoder();
        encoder.write(out, h, XdrCodecs.INT, 10);
        encoder.write(out, Keepalive.pong());
        byte[] bytes = out.toByteArray();

        InputStream in = new ByteArrayInputStream(bytes);
        Message first = Frames.read(in).orElseThrow();
        assertThat(first.header()).isEqualTo(h);
        assertThat(first.decode(XdrCodecs.INT)).isEqualTo(10);
        assertThat(Keepalive.isPong(Frames.read(in).orElseThrow().header())).isTrue();
        assertThat(Frames.read(in)).isEmpty();

        var ch = Channels.newChannel(new ByteArrayInputStream(bytes));
        assertThat(Frames.read(ch).orElseThrow().decode(XdrCodecs.INT)).isEqualTo(10);
        assertThat(Frames.read(ch).orElseThrow().payloadSize()).isZero();
        assertThat(Frames.read(ch)).isEmpty();
    }

    @Test
    void aLengthWordOverTheMaximumIsRefusedBeforeTheBodyIsRead() {
        // 32 MiB + 4 + 1: one byte too many. Only the word is present: reading on would hit EOF instead.
        InputStream in = new ByteArrayInputStream(Hex.bytes("02000005"));
        assertThatThrownBy(() -> Frames.read(in))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(Hex.bytes("ffffffff"))))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> Frames.read(Channels.newChannel(new ByteArrayInputStream(Hex.bytes("80000000")))))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("too large");
    }

    @Test
    void theLargestLegalLengthIsAccepted() {
        assertThat(Frames.restLength(MessageLimits.MAX + 4)).isEqualTo(MessageLimits.MAX);
    }

    @Test
    void aFrameTooSmallForAHeaderIsRefused() {
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(Hex.bytes("0000001b" + "00".repeat(23)))))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("too small");
    }

    @Test
    void aStreamEndingInsideAFrameIsAnEofNotAnEmptyResult() {
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(Hex.bytes("0000001c 6b656570 00000001"))))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(Hex.bytes("0000"))))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void anUnknownMessageTypeIsAProtocolError() {
        byte[] frame = Hex.bytes("0000001c 20008086 00000001 00000001 00000007 00000000 00000000");
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(frame)))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("unknown message type 7");
    }

    @Test
    void theFdCountFollowsTheHeaderOfWithFdsMessages() throws Exception {
        Header h = new Header(Program.REMOTE.number(), 1, 309, MessageType.CALL_WITH_FDS, 4, MessageStatus.OK);
        ByteBuffer frame = new MessageEncoder().encodeWithFds(h, 2, XdrCodecs.INT, 9);
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        assertThat(bytes).isEqualTo(Hex.bytes("""
                00000024
                20008086 00000001 00000135 00000004 00000004 00000000
                00000002
                00000009
                """));
        Message m = Frames.read(new ByteArrayInputStream(bytes)).orElseThrow();
        assertThat(m.fdCount()).isEqualTo(2);
        assertThat(m.decode(XdrCodecs.INT)).isEqualTo(9);
    }

    @Test
    void moreThanThirtyTwoFdsAreRefusedBothWays() {
        Header h = new Header(Program.REMOTE.number(), 1, 309, MessageType.CALL_WITH_FDS, 4, MessageStatus.OK);
        assertThatThrownBy(() -> new MessageEncoder().encodeWithFds(h, 33, XdrCodecs.VOID, null))
                .isInstanceOf(XdrException.class);
        byte[] frame = Hex.bytes("00000020 20008086 00000001 00000135 00000004 00000004 00000000 00000021");
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(frame)))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("too many FDs");
    }

    @Test
    void fdsOnATypeWithoutThemAreRefused() {
        assertThatThrownBy(() ->
                        new MessageEncoder().encodeWithFds(Header.call(Program.REMOTE, 1, 0), 1, XdrCodecs.VOID, null))
                .isInstanceOf(XdrException.class);
    }

    @Test
    void aMessageOverTheMaximumIsRefusedWhenEncoded() {
        ByteBuffer tooBig = ByteBuffer.allocate(MessageLimits.PAYLOAD_MAX + 1);
        Message m = new Message(Header.call(Program.REMOTE, 1, 0).stream(MessageStatus.CONTINUE), tooBig);
        assertThatThrownBy(() -> new MessageEncoder().encode(m)).isInstanceOf(XdrException.class);
        ByteBuffer justFits = ByteBuffer.allocate(MessageLimits.PAYLOAD_MAX);
        Message ok = new Message(m.header(), justFits);
        assertThat(new MessageEncoder().encode(ok).remaining()).isEqualTo(MessageLimits.MAX + 4);
    }

    @Test
    void emptyReadsStayEmpty() throws Exception {
        assertThat(Frames.read(InputStream.nullInputStream())).isEqualTo(Optional.empty());
    }
}
