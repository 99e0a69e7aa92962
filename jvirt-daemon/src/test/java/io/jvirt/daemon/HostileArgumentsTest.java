package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.StateReason;
import io.jvirt.rpc.proto.RemoteLimits;
import io.jvirt.rpc.proto.RemoteProcedures;
import io.jvirt.rpc.proto.RemoteTypes;
import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageLimits;
import io.jvirt.rpc.wire.MessageStatus;
import io.jvirt.rpc.wire.MessageType;
import io.jvirt.rpc.wire.Program;
import io.jvirt.rpc.wire.RemoteError;
import io.jvirt.rpc.xdr.TypedParamCodec;
import io.jvirt.rpc.xdr.XdrWriter;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arguments past libvirt's limits (CVE-2013-4292: unbounded migrate parameters; CVE-2024-2494: a negative XDR array
 * length), frames past the message limit, and stream packets for streams that do not exist. A bad argument is
 * libvirt's RPC error "Unable to decode message payload" and the connection goes on; a bad frame closes that
 * connection only; a stray stream packet is dropped, as libvirtd drops it. The guests and the other clients never
 * notice.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HostileArgumentsTest {
    @TempDir
    Path tmp;

    @RegisterExtension
    final PipeSessions sessions = new PipeSessions();

    private final FakeConnection fake = new FakeConnection();
    private DomainRef g1;

    /** A read-write client, g1 running. */
    private WireClient connect() throws IOException {
        g1 = fake.add("g1", 1);
        return sessions.start(fake, false, DaemonConfig.forRoot(tmp, tmp)).client;
    }

    /** A call of {@code procedure} whose body {@code body} writes, past any encoder's checks. */
    private static Message rawCall(int procedure, int serial, Consumer<XdrWriter> body) {
        XdrWriter w = new XdrWriter(256, MessageLimits.MAX);
        body.accept(w);
        return new Message(Header.call(Program.REMOTE, procedure, serial), ByteBuffer.wrap(w.toByteArray()));
    }

    /** The call is answered with libvirt's decode error, the session goes on and g1 is as it was. */
    private void refusedAndServing(WireClient c, Message call) throws IOException {
        c.send(call);
        Message reply = c.read();
        assertThat(reply.header().serial()).isEqualTo(call.header().serial());
        assertThat(reply.header().status()).isEqualTo(MessageStatus.ERROR);
        RemoteError e = reply.decode(RemoteError.CODEC);
        assertThat(e.code()).isEqualTo(ErrorCode.RPC.wire());
        assertThat(e.domain()).isEqualTo(ErrorDomain.RPC.wire());
        assertThat(e.message()).isEqualTo(Route.UNDECODABLE);
        assertThat(c.invoke(RemoteProcedures.CONNECT_GET_HOSTNAME, null)).isEqualTo("fakehost");
        assertThat(fake.states.get("g1").reason()).isEqualTo(StateReason.RUNNING_BOOTED);
        assertThat(fake.calls).isEmpty();
    }

    @Test
    void moreMigrateParametersThanLibvirtAllowsAreRefused() throws IOException {
        WireClient c = connect();
        int begin3 = RemoteProcedures.DOMAIN_MIGRATE_BEGIN3_PARAMS.number();
        refusedAndServing(c, rawCall(begin3, 1, w -> {
            RemoteTypes.DOMAIN.encode(w, g1);
            w.writeInt(RemoteLimits.MIGRATE_PARAM_LIST_MAX + 1);
            for (int i = 0; i <= RemoteLimits.MIGRATE_PARAM_LIST_MAX; i++) {
                w.writeString("bandwidth", TypedParamCodec.FIELD_MAX);
                w.writeInt(4);
                w.writeHyper(i);
            }
            w.writeInt(0);
        }));
    }

    @Test
    void aParameterNameLongerThanTheFieldIsRefused() throws IOException {
        WireClient c = connect();
        refusedAndServing(c, rawCall(RemoteProcedures.DOMAIN_MIGRATE_BEGIN3_PARAMS.number(), 2, w -> {
            RemoteTypes.DOMAIN.encode(w, g1);
            w.writeInt(1);
            w.writeString("x".repeat(TypedParamCodec.FIELD_LENGTH), TypedParamCodec.FIELD_LENGTH);
            w.writeInt(1);
            w.writeInt(1);
            w.writeInt(0);
        }));
    }

    @Test
    void negativeAndHugeCountsAndLengthsAreRefused() throws IOException {
        WireClient c = connect();
        int begin3 = RemoteProcedures.DOMAIN_MIGRATE_BEGIN3_PARAMS.number();
        for (int count : new int[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            refusedAndServing(c, rawCall(begin3, 3, w -> {
                RemoteTypes.DOMAIN.encode(w, g1);
                w.writeInt(count);
            }));
        }
        int define = RemoteProcedures.DOMAIN_DEFINE_XML.number();
        for (int length : new int[] {-1, RemoteLimits.STRING_MAX + 1, Integer.MAX_VALUE}) {
            refusedAndServing(c, rawCall(define, 4, w -> w.writeInt(length)));
        }
        // A save-params list one past REMOTE_DOMAIN_SAVE_PARAMS_MAX.
        refusedAndServing(c, rawCall(RemoteProcedures.DOMAIN_SAVE_PARAMS.number(), 5, w -> {
            RemoteTypes.DOMAIN.encode(w, g1);
            w.writeInt(RemoteLimits.SAVE_PARAMS_MAX + 1);
        }));
    }

    @Test
    void streamPacketsForStreamsThatDoNotExistAreDropped() throws IOException {
        WireClient c = connect();
        int tunnel = RemoteProcedures.DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS.number();
        for (MessageStatus status : MessageStatus.values()) {
            c.send(new Message(
                    new Header(Program.REMOTE.number(), 1, tunnel, MessageType.STREAM, 77, status),
                    ByteBuffer.wrap(new byte[] {1, 2, 3, 4})));
        }
        c.send(new Message(
                new Header(Program.REMOTE.number(), 1, tunnel, MessageType.STREAM_HOLE, 78, MessageStatus.CONTINUE),
                ByteBuffer.allocate(12)));
        // Nothing answers them; the next frame is this call's reply.
        assertThat(c.invoke(RemoteProcedures.CONNECT_GET_HOSTNAME, null)).isEqualTo("fakehost");
        assertThat(fake.calls).isEmpty();
    }

    @Test
    void aFrameOverTheLimitClosesThatClientOnly() throws IOException {
        DomainRef running = fake.add("g2", 2);
        try (Daemon d = Daemon.start(DaemonConfig.forRoot(tmp, tmp.resolve("run")), fake, false);
                SocketChannel hostile = SocketChannel.open(UnixDomainSocketAddress.of(d.rwSocket()));
                SocketChannel other = SocketChannel.open(UnixDomainSocketAddress.of(d.roSocket()))) {
            WireClient served = new WireClient(other, other);
            await().atMost(Duration.ofSeconds(5)).until(() -> d.clientCount() == 2);
            ByteBuffer tooLong =
                    ByteBuffer.allocate(4).putInt(MessageLimits.MAX + 8).flip();
            hostile.write(tooLong);
            assertThat(new WireClient(hostile, hostile).next())
                    .as("hostile connection closed")
                    .isEmpty();
            await().atMost(Duration.ofSeconds(5)).until(() -> d.clientCount() == 1);
            assertThat(served.invoke(RemoteProcedures.CONNECT_GET_HOSTNAME, null))
                    .isEqualTo("fakehost");
            assertThat(fake.states.get(running.name()).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
        }
    }
}
