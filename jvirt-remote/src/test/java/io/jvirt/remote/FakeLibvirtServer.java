package io.jvirt.remote;

import io.jvirt.rpc.proto.Procedure;
import io.jvirt.rpc.proto.RemoteProcedures;
import io.jvirt.rpc.wire.Frames;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageEncoder;
import io.jvirt.rpc.wire.MessageStatus;
import io.jvirt.rpc.wire.RemoteError;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A server the test plays by hand on a unix socket in a temp dir: it reads the client's frames and writes what
 * the test tells it to. One client. Not thread-safe for writes from several test threads.
 */
final class FakeLibvirtServer implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Path socket;
    private final MessageEncoder encoder = new MessageEncoder();
    private SocketChannel client;

    FakeLibvirtServer(Path dir) throws IOException {
        socket = dir.resolve("fake-sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
    }

    Path socket() {
        return socket;
    }

    String uri() {
        return "qemu+unix:///system?socket=" + socket;
    }

    void accept() throws IOException {
        client = server.accept();
    }

    /** The client's next frame; empty at its end of stream. */
    Optional<Message> read() throws IOException {
        return Frames.read(client);
    }

    Message readCall() throws IOException {
        return read().orElseThrow(() -> new IOException("client closed"));
    }

    void send(Message m) throws IOException {
        ByteBuffer frame = encoder.encode(m);
        while (frame.hasRemaining()) {
            client.write(frame);
        }
    }

    <A, R> void reply(Message call, Procedure<A, R> p, R ret) throws IOException {
        send(Message.of(call.header().reply(MessageStatus.OK), p.ret(), ret));
    }

    void replyError(Message call, RemoteError error) throws IOException {
        send(Message.of(call.header().reply(MessageStatus.ERROR), RemoteError.CODEC, error));
    }

    /** Answers the open sequence: auth none, keepalive feature as given, open, event callbacks. */
    void handshake(boolean keepalive) throws IOException {
        accept();
        reply(expect(RemoteProcedures.AUTH_LIST), RemoteProcedures.AUTH_LIST, List.of(0));
        reply(
                expect(RemoteProcedures.CONNECT_SUPPORTS_FEATURE),
                RemoteProcedures.CONNECT_SUPPORTS_FEATURE,
                keepalive ? 1 : 0);
        reply(expect(RemoteProcedures.CONNECT_OPEN), RemoteProcedures.CONNECT_OPEN, null);
        reply(expect(RemoteProcedures.CONNECT_SUPPORTS_FEATURE), RemoteProcedures.CONNECT_SUPPORTS_FEATURE, 1);
    }

    Message expect(Procedure<?, ?> p) throws IOException {
        Message m = readCall();
        if (m.header().procedure() != p.number()) {
            throw new AssertionError(
                    "expected " + p + ", got procedure " + m.header().procedure());
        }
        return m;
    }

    /** Closes the client's socket, as a crashed daemon would. */
    void dropClient() throws IOException {
        client.close();
    }

    @Override
    public void close() throws IOException {
        if (client != null) {
            client.close();
        }
        server.close();
    }
}
