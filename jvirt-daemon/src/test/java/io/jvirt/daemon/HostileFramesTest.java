package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.ErrorCode;
import io.jvirt.rpc.proto.RemoteProcedures;
import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageStatus;
import io.jvirt.rpc.wire.Program;
import io.jvirt.rpc.wire.RemoteError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile or broken client gets: a length word beyond the limit, one shorter than a header, a frame cut off
 * by the end of the connection, a body that lies about its lengths, an unknown program. Each ends in an error reply
 * (and the connection goes on) or in a clean close of that connection, never in a hang, a thread left behind or an
 * allocation of the size the frame claims.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HostileFramesTest {
    @TempDir
    Path tmp;

    private final FakeConnection fake = new FakeConnection();

    @RegisterExtension
    final PipeSessions sessions = new PipeSessions();

    private PipeSession pipe;
    private WireClient client;

    private void connect() throws IOException {
        pipe = sessions.start(fake, false, DaemonConfig.forRoot(tmp, tmp));
        client = pipe.client;
    }

    private void raw(byte[] bytes) throws IOException {
        pipe.raw(bytes);
    }

    /** The session ended by itself: the connection was closed and the serving thread is gone. */
    private void assertClosedCleanly() throws Exception {
        assertThat(client.next()).as("connection closed").isEmpty();
        assertThat(pipe.ended(java.time.Duration.ofSeconds(5)))
                .as("serving thread ended")
                .isTrue();
    }

    @Test
    void aLengthWordBeyondTheLimitClosesTheConnectionWithoutAllocatingIt() throws Exception {
        connect();
        raw(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        assertClosedCleanly();
    }

    @Test
    void aLengthWordShorterThanAHeaderClosesTheConnection() throws Exception {
        connect();
        raw(new byte[] {0, 0, 0, 8, 1, 2, 3, 4});
        assertClosedCleanly();
    }

    @Test
    void aFrameCutOffByTheEndOfTheConnectionEndsTheSession() throws Exception {
        connect();
        raw(new byte[] {0, 0, 0, 64, 0x20, 0x00, (byte) 0x80, (byte) 0x86, 0, 0});
        pipe.closeInput();
        assertClosedCleanly();
    }

    @Test
    void aBodyThatLiesAboutItsLengthsIsAnErrorReplyAndTheConnectionGoesOn() throws Exception {
        connect();
        // DOMAIN_LOOKUP_BY_NAME whose name claims 2^31 - 1 bytes in a 4-byte body.
        ByteBuffer lie = ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).flip();
        client.send(new Message(Header.call(Program.REMOTE, RemoteProcedures.DOMAIN_LOOKUP_BY_NAME.number(), 7), lie));
        Message reply = client.read();
        assertThat(reply.header().serial()).isEqualTo(7);
        assertThat(reply.header().status()).isEqualTo(MessageStatus.ERROR);
        RemoteError e = reply.decode(RemoteError.CODEC);
        assertThat(e.code()).isIn(ErrorCode.RPC.wire(), ErrorCode.INTERNAL_ERROR.wire());
        assertThat(client.invoke(RemoteProcedures.CONNECT_GET_HOSTNAME, null)).isEqualTo("fakehost");
    }

    @Test
    void anUnknownProgramIsAnErrorReplyOrAClose() throws Exception {
        connect();
        client.send(new Message(
                new Header(0x12345678, 1, 1, io.jvirt.rpc.wire.MessageType.CALL, 3, MessageStatus.OK),
                ByteBuffer.allocate(0)));
        var next = client.next();
        if (next.isPresent()) {
            assertThat(next.get().header().status()).isEqualTo(MessageStatus.ERROR);
            assertThat(client.invoke(RemoteProcedures.CONNECT_GET_HOSTNAME, null))
                    .isEqualTo("fakehost");
        } else {
            assertThat(pipe.ended(java.time.Duration.ofSeconds(5))).isTrue();
        }
    }
}
