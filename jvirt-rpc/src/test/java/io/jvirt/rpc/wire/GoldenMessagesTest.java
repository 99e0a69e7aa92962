package io.jvirt.rpc.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.Hex;
import io.jvirt.rpc.proto.ConnectWire.OpenArgs;
import io.jvirt.rpc.proto.JobWire.MigrationIterationEvent;
import io.jvirt.rpc.proto.RemoteProcedures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Whole frames written out word by word from virnetprotocol.x and remote_protocol.x. */
class GoldenMessagesTest {
    private final MessageEncoder encoder = new MessageEncoder();

    @Test
    void connectOpenCall() throws Exception {
        byte[] golden = Hex.bytes("""
                00000038
                20008086 00000001 00000001 00000000 00000002 00000000
                00000001 0000000e 71656d75 3a2f2f2f 73797374 656d0000
                00000000
                """);
        Message call = RemoteProcedures.CONNECT_OPEN.call(2, new OpenArgs("qemu:///system", 0));
        assertThat(frame(call)).isEqualTo(golden);

        Message read = Frames.read(new ByteArrayInputStream(golden)).orElseThrow();
        assertThat(read.header()).isEqualTo(Header.call(Program.REMOTE, 1, 2));
        assertThat(RemoteProcedures.CONNECT_OPEN.decodeArgs(read)).isEqualTo(new OpenArgs("qemu:///system", 0));
    }

    @Test
    void lookupByNameReply() throws Exception {
        byte[] golden = Hex.bytes("""
                0000003c
                20008086 00000001 00000017 00000001 00000005 00000000
                00000008 72706370 726f6265
                00112233 44556677 8899aabb ccddeeff
                00000001
                """);
        DomainRef dom = new DomainRef("rpcprobe", UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"), 1);
        Header reply = RemoteProcedures.DOMAIN_LOOKUP_BY_NAME.callHeader(5).reply(MessageStatus.OK);
        assertThat(bytes(encoder.encode(reply, RemoteProcedures.DOMAIN_LOOKUP_BY_NAME.ret(), dom)))
                .isEqualTo(golden);
        Message read = Frames.read(new ByteArrayInputStream(golden)).orElseThrow();
        assertThat(RemoteProcedures.DOMAIN_LOOKUP_BY_NAME.decodeRet(read)).isEqualTo(dom);
    }

    @Test
    void errorReplyForAnUnknownDomain() throws Exception {
        // code 42 NO_DOMAIN, domain 10 QEMU, message present, level 2, dom/str1/str2/str3 absent, -1, -1, net absent.
        byte[] golden = Hex.bytes("""
                00000080
                20008086 00000001 00000017 00000001 00000003 00000001
                0000002a 0000000a
                00000001 00000033
                446f6d61 696e206e 6f742066 6f756e64 3a206e6f 20646f6d 61696e20 77697468
                206d6174 6368696e 67206e61 6d652027 67312700
                00000002
                00000000 00000000 00000000 00000000
                ffffffff ffffffff
                00000000
                """);
        VirtException e = VirtException.of(ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "no domain with matching name 'g1'");
        Header reply = RemoteProcedures.DOMAIN_LOOKUP_BY_NAME.callHeader(3).reply(MessageStatus.ERROR);
        assertThat(bytes(encoder.encode(reply, RemoteError.CODEC, RemoteError.from(e))))
                .isEqualTo(golden);

        Message read = Frames.read(new ByteArrayInputStream(golden)).orElseThrow();
        VirtException back = read.decode(RemoteError.CODEC).toException();
        assertThat(back.code()).isEqualTo(ErrorCode.NO_DOMAIN);
        assertThat(back.domain()).isEqualTo(ErrorDomain.QEMU);
        assertThat(back.getMessage()).isEqualTo("Domain not found: no domain with matching name 'g1'");
    }

    @Test
    void migrationIterationEventMessage() throws Exception {
        // MESSAGE (type 2) for procedure 359, serial 1, status OK; callbackID 4, the domain, iteration 2.
        byte[] golden = Hex.bytes("""
                00000044
                20008086 00000001 00000167 00000002 00000001 00000000
                00000004
                00000008 72706370 726f6265
                00112233 44556677 8899aabb ccddeeff
                00000007
                00000002
                """);
        DomainRef dom = new DomainRef("rpcprobe", UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"), 7);
        MigrationIterationEvent event = new MigrationIterationEvent(4, dom, 2);
        assertThat(frame(RemoteProcedures.DOMAIN_EVENT_CALLBACK_MIGRATION_ITERATION.event(1, event)))
                .isEqualTo(golden);

        Message read = Frames.read(new ByteArrayInputStream(golden)).orElseThrow();
        assertThat(read.header().type()).isEqualTo(MessageType.MESSAGE);
        assertThat(read.header().procedure()).isEqualTo(359);
        assertThat(RemoteProcedures.DOMAIN_EVENT_CALLBACK_MIGRATION_ITERATION.decodeArgs(read))
                .isEqualTo(event);
    }

    @Test
    void keepalivePingAndPong() throws Exception {
        assertThat(frame(Keepalive.ping()))
                .isEqualTo(Hex.bytes("0000001c 6b656570 00000001 00000001 00000002 00000000 00000000"));
        assertThat(frame(Keepalive.pong()))
                .isEqualTo(Hex.bytes("0000001c 6b656570 00000001 00000002 00000002 00000000 00000000"));
        Message ping =
                Frames.read(new ByteArrayInputStream(frame(Keepalive.ping()))).orElseThrow();
        assertThat(Keepalive.isPing(ping.header())).isTrue();
        assertThat(Keepalive.isPong(ping.header())).isFalse();
    }

    @Test
    void unknownProcedureErrorEchoesTheCall() throws Exception {
        byte[] golden = Hex.bytes("""
                00000064
                20008086 00000001 000003e7 00000001 00000009 00000001
                00000027 00000007
                00000001 00000016 756e6b6e 6f776e20 70726f63 65647572 653a2039 39390000
                00000002
                00000000 00000000 00000000 00000000
                ffffffff ffffffff
                00000000
                """);
        Header call = Header.call(Program.REMOTE, 999, 9);
        assertThat(bytes(encoder.encode(
                        call.reply(MessageStatus.ERROR), RemoteError.CODEC, RemoteError.unknownProcedure(999))))
                .isEqualTo(golden);
    }

    private byte[] frame(Message m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encoder.write(out, m);
        return out.toByteArray();
    }

    private static byte[] bytes(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
