package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainEventDetail;
import io.jvirt.api.DomainEventType;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DriverFeature;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.JobType;
import io.jvirt.rpc.proto.ConnectWire.EventCallbackRegisterArgs;
import io.jvirt.rpc.proto.ConnectWire.ListAllDomainsArgs;
import io.jvirt.rpc.proto.ConnectWire.OpenArgs;
import io.jvirt.rpc.proto.DomainWire.DomainFlags;
import io.jvirt.rpc.proto.JobWire.CallbackLifecycleEvent;
import io.jvirt.rpc.proto.JvirtProcedures;
import io.jvirt.rpc.proto.JvirtProcedures.TunnelChannelArgs;
import io.jvirt.rpc.proto.RemoteProcedures;
import io.jvirt.rpc.proto.SaveWire.SaveArgs;
import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Keepalive;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageStatus;
import io.jvirt.rpc.wire.MessageType;
import io.jvirt.rpc.wire.Program;
import io.jvirt.rpc.wire.RemoteError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Frames in, frames out: one {@link ClientSession} over in-memory pipes, against a {@link FakeConnection}. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ClientSessionTest {
    @TempDir
    Path tmp;

    private final FakeConnection fake = new FakeConnection();
    private ClientSession session;

    @RegisterExtension
    final PipeSessions sessions = new PipeSessions();

    private PipeSession pipe;

    private WireClient connect(boolean readOnlySocket, int keepaliveInterval, int keepaliveCount) throws IOException {
        DaemonConfig config = DaemonConfig.forRoot(tmp, tmp).withKeepalive(keepaliveInterval, keepaliveCount);
        pipe = sessions.start(fake, readOnlySocket, config);
        session = pipe.session;
        return pipe.client;
    }

    @AfterEach
    void openTheSaveGate() {
        fake.saveGate.countDown();
    }

    @Test
    void opensWithAuthNoneLikeVirsh() throws IOException {
        WireClient c = connect(false, 5, 5);
        assertThat(c.invoke(RemoteProcedures.AUTH_LIST, null)).containsExactly(0);
        assertThat(c.invoke(RemoteProcedures.CONNECT_SUPPORTS_FEATURE, DriverFeature.PROGRAM_KEEPALIVE))
                .isEqualTo(1);
        assertThat(c.invoke(RemoteProcedures.CONNECT_OPEN, new OpenArgs("qemu:///system", 0)))
                .isNull();
        assertThat(c.invoke(RemoteProcedures.CONNECT_SUPPORTS_FEATURE, ConnectRoutes.REMOTE_EVENT_CALLBACK))
                .isEqualTo(1);
        assertThat(c.invoke(RemoteProcedures.CONNECT_SUPPORTS_FEATURE, DriverFeature.MIGRATION_PARAMS))
                .isEqualTo(1);
        assertThat(c.invoke(RemoteProcedures.CONNECT_SUPPORTS_FEATURE, DriverFeature.MIGRATION_P2P))
                .isEqualTo(0);
        assertThat(c.invoke(RemoteProcedures.CONNECT_GET_HOSTNAME, null)).isEqualTo("fakehost");
        assertThat(c.invoke(RemoteProcedures.CONNECT_GET_URI, null)).isEqualTo("qemu:///system");
        fake.add("g1", 4);
        var list = c.invoke(RemoteProcedures.CONNECT_LIST_ALL_DOMAINS, new ListAllDomainsArgs(1, 3));
        assertThat(list.domains()).extracting(DomainRef::name).containsExactly("g1");
        assertThat(list.count()).isEqualTo(1);
    }

    @Test
    void closeRepliesThenEndsTheConnection() throws IOException {
        WireClient c = connect(false, 5, 5);
        assertThat(c.invoke(RemoteProcedures.CONNECT_CLOSE, null)).isNull();
        assertThat(c.next()).isEmpty();
    }

    @Test
    void unknownDomainIsAnErrorReplyWithTheDriversCodeAndMessage() throws IOException {
        WireClient c = connect(false, 5, 5);
        RemoteError e = c.invokeError(RemoteProcedures.DOMAIN_LOOKUP_BY_NAME, "nosuch");
        assertThat(e.code()).isEqualTo(ErrorCode.NO_DOMAIN.wire());
        assertThat(e.domain()).isEqualTo(ErrorDomain.QEMU.wire());
        assertThat(e.level()).isEqualTo(2);
        assertThat(e.message()).isEqualTo("Domain not found: no domain with matching name 'nosuch'");
    }

    @Test
    void unknownProcedureAnswersAsLibvirtd() throws IOException {
        WireClient c = connect(false, 5, 5);
        c.send(new Message(Header.call(Program.REMOTE, 18, 9), ByteBuffer.allocate(0)));
        Message reply = c.read();
        assertThat(reply.header().status()).isEqualTo(MessageStatus.ERROR);
        assertThat(reply.header().serial()).isEqualTo(9);
        assertThat(reply.header().procedure()).isEqualTo(18);
        RemoteError e = reply.decode(RemoteError.CODEC);
        assertThat(e).isEqualTo(RemoteError.unknownProcedure(18));
        assertThat(e.toClientException().code()).isEqualTo(ErrorCode.NO_SUPPORT);
    }

    @Test
    void jvirtsOwnProgramReachesTheDriverAndAnswersUnknownProceduresAsLibvirtd() throws IOException {
        WireClient c = connect(false, 5, 5);
        c.send(Message.of(
                Header.call(Program.JVIRT, JvirtProcedures.MIGRATE_TUNNEL_CHANNEL.number(), 11),
                TunnelChannelArgs.CODEC,
                new TunnelChannelArgs("g1", 1)));
        Message reply = c.read();
        assertThat(reply.header().program()).isEqualTo(Program.JVIRT.number());
        assertThat(reply.header().status()).isEqualTo(MessageStatus.ERROR);
        // The fake driver has no tunnels: the refusal is the driver's, so the call got through dispatch.
        assertThat(reply.decode(RemoteError.CODEC).message()).contains("jvirtMigrateTunnelChannel");

        c.send(new Message(Header.call(Program.JVIRT, 7, 12), ByteBuffer.allocate(0)));
        assertThat(c.read().decode(RemoteError.CODEC)).isEqualTo(RemoteError.unknownProcedure(7));
    }

    @Test
    void readOnlySocketRefusesJvirtsChannelCall() throws IOException {
        WireClient c = connect(true, 5, 5);
        c.send(Message.of(
                Header.call(Program.JVIRT, JvirtProcedures.MIGRATE_TUNNEL_CHANNEL.number(), 3),
                TunnelChannelArgs.CODEC,
                new TunnelChannelArgs("g1", 1)));
        RemoteError e = c.read().decode(RemoteError.CODEC);
        assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_DENIED.wire());
    }

    @Test
    void readOnlySocketRefusesMutationsButAnswersQueries() throws IOException {
        DomainRef g1 = fake.add("g1", -1);
        WireClient c = connect(true, 5, 5);
        RemoteError e = c.invokeError(RemoteProcedures.DOMAIN_CREATE, g1);
        assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_DENIED.wire());
        assertThat(e.message()).isEqualTo("operation forbidden: read only access prevents virDomainCreate");
        assertThat(fake.states.get("g1").state().isActive()).isFalse();
        assertThat(c.invoke(RemoteProcedures.DOMAIN_GET_STATE, new DomainFlags(g1, 0))
                        .state())
                .isEqualTo(5);
    }

    @Test
    void rebootAndResetReachTheDriverWithTheirFlags() throws IOException {
        DomainRef g1 = fake.add("g1", 2);
        WireClient c = connect(false, 5, 5);
        assertThat(c.invoke(RemoteProcedures.DOMAIN_REBOOT, new DomainFlags(g1, 2)))
                .isNull();
        assertThat(c.invoke(RemoteProcedures.DOMAIN_RESET, new DomainFlags(g1, 0)))
                .isNull();
        assertThat(fake.calls).containsExactly("reboot g1 2", "reset g1 0");
        RemoteError e = c.invokeError(
                RemoteProcedures.DOMAIN_REBOOT, new DomainFlags(new DomainRef("nosuch", g1.uuid(), 9), 0));
        assertThat(e.code()).isEqualTo(ErrorCode.NO_DOMAIN.wire());
    }

    @Test
    void readOnlySocketRefusesRebootAndReset() throws IOException {
        DomainRef g1 = fake.add("g1", 2);
        WireClient c = connect(true, 5, 5);
        assertThat(c.invokeError(RemoteProcedures.DOMAIN_REBOOT, new DomainFlags(g1, 0))
                        .message())
                .isEqualTo("operation forbidden: read only access prevents virDomainReboot");
        assertThat(c.invokeError(RemoteProcedures.DOMAIN_RESET, new DomainFlags(g1, 0))
                        .message())
                .isEqualTo("operation forbidden: read only access prevents virDomainReset");
        assertThat(fake.calls).isEmpty();
    }

    @Test
    void readOnlyOpenFlagRefusesMutationsOnTheReadWriteSocket() throws IOException {
        DomainRef g1 = fake.add("g1", 2);
        WireClient c = connect(false, 5, 5);
        c.invoke(RemoteProcedures.CONNECT_OPEN, new OpenArgs("qemu:///system", 1));
        RemoteError e = c.invokeError(RemoteProcedures.DOMAIN_DESTROY, g1);
        assertThat(e.message()).isEqualTo("operation forbidden: read only access prevents virDomainDestroy");
    }

    @Test
    void pingIsAnsweredWithPong() throws IOException {
        WireClient c = connect(false, 5, 5);
        c.send(Keepalive.ping());
        Message m = c.read();
        assertThat(Keepalive.isPong(m.header())).isTrue();
        assertThat(m.header().serial()).isZero();
        assertThat(m.payloadSize()).isZero();
    }

    @Test
    void afterTheKeepaliveFeatureTheDaemonPingsAndDropsASilentClient() throws IOException {
        WireClient c = connect(false, 1, 2);
        c.invoke(RemoteProcedures.CONNECT_SUPPORTS_FEATURE, DriverFeature.PROGRAM_KEEPALIVE);
        int pings = 0;
        for (var m = c.next(); m.isPresent(); m = c.next()) {
            assertThat(Keepalive.isPing(m.get().header())).isTrue();
            pings++;
        }
        assertThat(pings).isEqualTo(2);
        assertThat(session.isClosed()).isTrue();
    }

    @Test
    void aSlowCallDoesNotHoldUpJobQueriesOrKeepalive() throws Exception {
        DomainRef g1 = fake.add("g1", 3);
        WireClient c = connect(false, 5, 5);
        int saveSerial = c.call(RemoteProcedures.DOMAIN_SAVE, new SaveArgs(g1, "/tmp/x"));
        assertThat(fake.saveStarted.await(5, TimeUnit.SECONDS)).isTrue();
        var job = c.invoke(RemoteProcedures.DOMAIN_GET_JOB_INFO, g1);
        assertThat(job.type()).isEqualTo(JobType.NONE.wire());
        c.send(Keepalive.ping());
        assertThat(Keepalive.isPong(c.read().header())).isTrue();
        fake.saveGate.countDown();
        WireClient.assertReply(c.read(), RemoteProcedures.DOMAIN_SAVE, saveSerial, MessageStatus.OK);
    }

    @Test
    void registeredClientsGetLifecycleEventsAsCallbackMessages() throws IOException {
        DomainRef g1 = fake.add("g1", 3);
        WireClient c = connect(false, 5, 5);
        int id = c.invoke(
                RemoteProcedures.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
                new EventCallbackRegisterArgs(ClientEvents.ID_LIFECYCLE, null));
        // The session is not in a daemon's fan-out here; hand it the event as the fan-out would.
        session.deliver(new DomainEvent.Lifecycle(g1, DomainEventType.SUSPENDED, DomainEventDetail.SUSPENDED_PAUSED));
        Message m = c.read();
        assertThat(m.header().type()).isEqualTo(MessageType.MESSAGE);
        assertThat(m.header().procedure()).isEqualTo(RemoteProcedures.DOMAIN_EVENT_CALLBACK_LIFECYCLE.number());
        CallbackLifecycleEvent ev = RemoteProcedures.DOMAIN_EVENT_CALLBACK_LIFECYCLE.decodeArgs(m);
        assertThat(ev.callbackId()).isEqualTo(id);
        assertThat(ev.msg().dom().name()).isEqualTo("g1");
        assertThat(ev.msg().event()).isEqualTo(DomainEventType.SUSPENDED.wire());
        assertThat(fake.listeners).hasSize(1);
    }

    @Test
    void unregisteredClientsGetNoEvents() throws IOException {
        DomainRef g1 = fake.add("g1", 3);
        WireClient c = connect(false, 5, 5);
        session.deliver(new DomainEvent.Lifecycle(g1, DomainEventType.SUSPENDED, 0));
        // The next frame is the reply to this call, not an event.
        assertThat(c.invoke(RemoteProcedures.CONNECT_GET_TYPE, null)).isEqualTo("QEMU");
        assertThat(List.of(fake.listeners.size())).containsExactly(0);
    }
}
