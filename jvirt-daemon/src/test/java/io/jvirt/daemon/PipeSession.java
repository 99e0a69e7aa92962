package io.jvirt.daemon;

import io.jvirt.api.Connection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;

/**
 * One {@link ClientSession} served over in-memory pipes on a virtual thread, with the {@link WireClient} at the other
 * end and a way to write raw bytes past the encoder. {@link #close} ends the session and joins its thread.
 */
final class PipeSession {
    final ClientSession session;
    final WireClient client;
    private final Thread server;
    private final Pipe.SinkChannel toServer;

    private PipeSession(ClientSession session, WireClient client, Thread server, Pipe.SinkChannel toServer) {
        this.session = session;
        this.client = client;
        this.server = server;
        this.toServer = toServer;
    }

    static PipeSession start(Connection driver, boolean readOnlySocket, DaemonConfig config) throws IOException {
        Pipe in = Pipe.open();
        Pipe out = Pipe.open();
        ClientSession session = new ClientSession(
                1,
                Transport.of(
                        in.source(),
                        out.sink(),
                        () -> {
                            in.source().close();
                            out.sink().close();
                        },
                        true),
                readOnlySocket,
                DaemonContext.of(driver, config),
                () -> {});
        Thread server = Thread.ofVirtual().start(session::serve);
        return new PipeSession(session, new WireClient(out.source(), in.sink()), server, in.sink());
    }

    /** Writes {@code bytes} as they are, framing and all. */
    void raw(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            toServer.write(b);
        }
    }

    /** Ends the client's side of the input: the server reads end of stream. */
    void closeInput() throws IOException {
        toServer.close();
    }

    /** Whether the serving thread ended within {@code timeout}. */
    boolean ended(Duration timeout) throws InterruptedException {
        return server.join(timeout);
    }

    void close() throws InterruptedException {
        session.close();
        server.join();
    }
}
