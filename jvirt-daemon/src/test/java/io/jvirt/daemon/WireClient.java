package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.rpc.proto.Procedure;
import io.jvirt.rpc.wire.Frames;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageEncoder;
import io.jvirt.rpc.wire.MessageStatus;
import io.jvirt.rpc.wire.MessageType;
import io.jvirt.rpc.wire.RemoteError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Optional;

/** The client end of an in-memory connection: writes CALL frames with jvirt-rpc's encoder, reads frames back. */
final class WireClient {
    private final ReadableByteChannel in;
    private final WritableByteChannel out;
    private final MessageEncoder encoder = new MessageEncoder();
    private int serial;

    WireClient(ReadableByteChannel in, WritableByteChannel out) {
        this.in = in;
        this.out = out;
    }

    /** Sends a call and returns its serial. */
    <A> int call(Procedure<A, ?> p, A args) throws IOException {
        int s = serial++;
        send(p.call(s, args));
        return s;
    }

    void send(Message m) throws IOException {
        ByteBuffer frame = encoder.encode(m);
        while (frame.hasRemaining()) {
            out.write(frame);
        }
    }

    /** The next frame, or empty when the server closed the connection. */
    Optional<Message> next() throws IOException {
        return Frames.read(in);
    }

    Message read() throws IOException {
        return next().orElseThrow(() -> new IOException("server closed the connection"));
    }

    /** Calls and expects an OK reply to that call. */
    <A, R> R invoke(Procedure<A, R> p, A args) throws IOException {
        int s = call(p, args);
        Message reply = read();
        assertReply(reply, p, s, MessageStatus.OK);
        return p.decodeRet(reply);
    }

    /** Calls and expects an error reply to that call. */
    <A> RemoteError invokeError(Procedure<A, ?> p, A args) throws IOException {
        int s = call(p, args);
        Message reply = read();
        assertReply(reply, p, s, MessageStatus.ERROR);
        return reply.decode(RemoteError.CODEC);
    }

    static void assertReply(Message reply, Procedure<?, ?> p, int serial, MessageStatus status) {
        assertThat(reply.header().type()).isEqualTo(MessageType.REPLY);
        assertThat(reply.header().procedure()).isEqualTo(p.number());
        assertThat(reply.header().serial()).isEqualTo(serial);
        assertThat(reply.header().status()).as("reply status").isEqualTo(status);
    }
}
