package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.InterfaceAddressSource;
import io.jvirt.api.XmlFlags;
import io.jvirt.rpc.proto.ConnectWire.OpenArgs;
import io.jvirt.rpc.proto.DailyProcedures;
import io.jvirt.rpc.proto.DeviceWire.InterfaceAddressesArgs;
import io.jvirt.rpc.proto.DomainWire.DomainFlags;
import io.jvirt.rpc.proto.RemoteProcedures;
import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageStatus;
import io.jvirt.rpc.wire.Program;
import io.jvirt.rpc.wire.RemoteError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-only socket and the read-only open flag, over the whole dispatch table: every procedure that is not
 * read-only safe ({@link ReadOnlyPolicyTest}) is refused with libvirt's error before its arguments are even decoded,
 * so no path is opened, no program started and nothing reaches the driver; and the flags libvirt refuses read-only
 * inside read-only procedures (secure XML, the guest agent) are refused too.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadOnlyRefusalTest {
    @TempDir
    Path tmp;

    private final FakeConnection fake = new FakeConnection();
    private final RecordingDriver driver = new RecordingDriver(fake);

    @RegisterExtension
    final PipeSessions sessions = new PipeSessions();

    private WireClient connect(boolean readOnlySocket) throws IOException {
        return sessions.start(driver.connection, readOnlySocket, DaemonConfig.forRoot(tmp, tmp)).client;
    }

    /** Sends each refused procedure with an empty body and expects libvirt's refusal naming its API. */
    private void everyRefusedProcedureIsRefused(WireClient c) throws IOException {
        List<Route<?, ?>> refused = DispatchTable.standard().routes().values().stream()
                .filter(r -> !r.readOnlySafe())
                .toList();
        assertThat(refused).hasSizeGreaterThan(40);
        int before = driver.called.size();
        int serial = 1000;
        for (Route<?, ?> r : refused) {
            c.send(new Message(Header.call(Program.REMOTE, r.procedure().number(), serial), ByteBuffer.allocate(0)));
            Message reply = c.read();
            WireClient.assertReply(reply, r.procedure(), serial++, MessageStatus.ERROR);
            RemoteError e = reply.decode(RemoteError.CODEC);
            assertThat(e.code()).as(r.procedure().name()).isEqualTo(ErrorCode.OPERATION_DENIED.wire());
            assertThat(e.message())
                    .isEqualTo("operation forbidden: read only access prevents "
                            + CallDispatcher.apiName(r.procedure().name()));
        }
        assertThat(driver.called.subList(before, driver.called.size()))
                .as("driver calls")
                .isEmpty();
    }

    @Test
    void everyProcedureThatIsNotReadOnlySafeIsRefusedOnTheReadOnlySocket() throws IOException {
        everyRefusedProcedureIsRefused(connect(true));
    }

    @Test
    void everyProcedureThatIsNotReadOnlySafeIsRefusedAfterAReadOnlyOpen() throws IOException {
        WireClient c = connect(false);
        c.invoke(RemoteProcedures.CONNECT_OPEN, new OpenArgs("qemu:///system", 1));
        everyRefusedProcedureIsRefused(c);
    }

    @Test
    void whatLibvirtOnceLetThroughIsRefused() throws IOException {
        WireClient c = connect(true);
        // Saving to, dumping to and reading a save image from a path of the client's choosing (CVE-2019-10161 read
        // the header of any file), and every phase of migration, which starts an emulator on the destination.
        for (var p : List.of(
                RemoteProcedures.DOMAIN_SAVE_IMAGE_GET_XML_DESC,
                RemoteProcedures.DOMAIN_SAVE_IMAGE_DEFINE_XML,
                RemoteProcedures.DOMAIN_SAVE,
                RemoteProcedures.DOMAIN_RESTORE,
                RemoteProcedures.DOMAIN_CORE_DUMP,
                RemoteProcedures.DOMAIN_CORE_DUMP_WITH_FORMAT,
                RemoteProcedures.DOMAIN_MIGRATE_BEGIN3_PARAMS,
                RemoteProcedures.DOMAIN_MIGRATE_PREPARE3_PARAMS,
                RemoteProcedures.DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS,
                RemoteProcedures.DOMAIN_MIGRATE_PERFORM3_PARAMS,
                RemoteProcedures.DOMAIN_MIGRATE_FINISH3_PARAMS,
                RemoteProcedures.DOMAIN_MIGRATE_CONFIRM3_PARAMS,
                RemoteProcedures.DOMAIN_MIGRATE_PREPARE2,
                RemoteProcedures.DOMAIN_MIGRATE_PREPARE_TUNNEL,
                RemoteProcedures.DOMAIN_MIGRATE_PERFORM,
                RemoteProcedures.DOMAIN_MIGRATE_FINISH2,
                RemoteProcedures.DOMAIN_MIGRATE_GET_MAX_SPEED,
                DailyProcedures.DOMAIN_GET_HOSTNAME,
                DailyProcedures.DOMAIN_GET_TIME)) {
            assertThat(DispatchTable.standard().route(p.number()).orElseThrow().readOnlySafe())
                    .as(p.name())
                    .isFalse();
        }
        // Procedures of those advisories jvirtd does not serve at all: GetDomainCapabilities (342, with an emulator
        // path). An error, never an answer; the others (ManagedSave*, *HypervisorCPU) are run by virsh in
        // ReadOnlyVirshIT, the guest agent's GetHostname (277) and GetTime (337) are refused above.
        int before = driver.called.size();
        for (int n : new int[] {342}) {
            c.send(new Message(Header.call(Program.REMOTE, n, n), ByteBuffer.allocate(0)));
            Message reply = c.read();
            assertThat(reply.header().status()).as("procedure %d", n).isEqualTo(MessageStatus.ERROR);
            assertThat(reply.decode(RemoteError.CODEC)).isEqualTo(RemoteError.unknownProcedure(n));
        }
        assertThat(driver.called.subList(before, driver.called.size())).isEmpty();
    }

    @Test
    void secureOrMigratableXmlIsRefusedToReadOnlyClients() throws IOException {
        DomainRef g1 = fake.add("g1", 2);
        WireClient c = connect(true);
        for (int flags : new int[] {XmlFlags.SECURE, XmlFlags.MIGRATABLE, XmlFlags.SECURE | XmlFlags.INACTIVE}) {
            RemoteError e = c.invokeError(RemoteProcedures.DOMAIN_GET_XML_DESC, new DomainFlags(g1, flags));
            assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_DENIED.wire());
            assertThat(e.domain()).isEqualTo(ErrorDomain.DOMAIN.wire());
            assertThat(e.message()).isEqualTo("operation forbidden: virDomainGetXMLDesc with secure flag");
        }
        assertThat(driver.called).doesNotContain("xmlDesc");
        // Without them the XML is served; the driver leaves secrets out (XmlDescriptionsSecretsTest).
        assertThat(c.invoke(RemoteProcedures.DOMAIN_GET_XML_DESC, new DomainFlags(g1, XmlFlags.INACTIVE)))
                .contains("<name>g1</name>");
        // A read-write client keeps SECURE.
        assertThat(connect(false).invoke(RemoteProcedures.DOMAIN_GET_XML_DESC, new DomainFlags(g1, XmlFlags.SECURE)))
                .contains("<name>g1</name>");
    }

    @Test
    void guestAgentAddressesAreRefusedToReadOnlyClients() throws IOException {
        DomainRef g1 = fake.add("g1", 2);
        WireClient c = connect(true);
        RemoteError e = c.invokeError(
                RemoteProcedures.DOMAIN_INTERFACE_ADDRESSES,
                new InterfaceAddressesArgs(g1, InterfaceAddressSource.AGENT, 0));
        assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_DENIED.wire());
        assertThat(e.message()).isEqualTo("operation forbidden: read only access prevents virDomainInterfaceAddresses");
        assertThat(driver.called).doesNotContain("interfaceAddresses");
    }
}
