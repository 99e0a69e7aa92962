package io.jvirt.rpc.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.DomainRef;
import io.jvirt.api.TypedParam;
import io.jvirt.rpc.Hex;
import io.jvirt.rpc.proto.ConnectWire.EventCallbackRegisterArgs;
import io.jvirt.rpc.proto.ConnectWire.NodeInfo;
import io.jvirt.rpc.proto.ConnectWire.OpenArgs;
import io.jvirt.rpc.proto.ConnectWire.SecurityModel;
import io.jvirt.rpc.proto.DomainWire.InfoRet;
import io.jvirt.rpc.proto.MigrationWire.Finish3ParamsArgs;
import io.jvirt.rpc.proto.MigrationWire.Perform3ParamsArgs;
import io.jvirt.rpc.proto.MigrationWire.Prepare3ParamsRet;
import io.jvirt.rpc.xdr.XdrCodec;
import io.jvirt.rpc.xdr.XdrException;
import io.jvirt.rpc.xdr.XdrReader;
import io.jvirt.rpc.xdr.XdrWriter;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Sizes and field order checked against what remote_protocol.x implies, byte by byte where short. */
class StructLayoutTest {

    @Test
    void nodeInfoIs160BytesWithOneWordPerModelChar() {
        NodeInfo info = new NodeInfo("x86_64", 8_000_000L, 4, 2400, 1, 1, 4, 1);
        byte[] bytes = encode(NodeInfo.CODEC, info);
        assertThat(bytes).hasSize(160);
        assertThat(Hex.of(bytes).substring(0, 56))
                .isEqualTo("0000007800000038000000360000005f0000003600000034" + "00000000");
        assertThat(decode(NodeInfo.CODEC, bytes)).isEqualTo(info);
    }

    @Test
    void domainInfoIs32BytesWithNarrowFieldsInFullWords() {
        byte[] bytes = encode(InfoRet.CODEC, new InfoRet(1, 1_048_576, 524_288, 2, 123_456_789_000L));
        assertThat(bytes).isEqualTo(Hex.bytes("""
                00000001
                00000000 00100000
                00000000 00080000
                00000002
                0000001c be991a08
                """));
    }

    @Test
    void securityStringsCountTheirNul() {
        assertThat(encode(SecurityModel.CODEC, new SecurityModel("none", "0"))).isEqualTo(Hex.bytes("""
                00000005 0000006e 0000006f 0000006e 00000065 00000000
                00000002 00000030 00000000
                """));
        assertThat(decode(SecurityModel.CODEC, encode(SecurityModel.CODEC, new SecurityModel("", ""))))
                .isEqualTo(new SecurityModel("", ""));
    }

    @Test
    void finish3ParamsArgsAreParamsCookieFlagsCancelled() {
        var args = new Finish3ParamsArgs(
                List.of(TypedParam.string("destination_name", "g1")), new Cookie(new byte[] {0x3c, 0x00}), 3, 0);
        assertThat(encode(Finish3ParamsArgs.CODEC, args)).isEqualTo(Hex.bytes("""
                00000001
                00000010 64657374 696e6174 696f6e5f 6e616d65
                00000007 00000002 67310000
                00000002 3c000000
                00000003
                00000000
                """));
    }

    @Test
    void absentOptionalsRoundTripAsNull() {
        assertThat(decode(OpenArgs.CODEC, encode(OpenArgs.CODEC, new OpenArgs(null, 1))))
                .isEqualTo(new OpenArgs(null, 1));
        assertThat(encode(EventCallbackRegisterArgs.CODEC, new EventCallbackRegisterArgs(0, null)))
                .isEqualTo(Hex.bytes("00000000 00000000"));
        assertThat(decode(
                        Prepare3ParamsRet.CODEC,
                        encode(Prepare3ParamsRet.CODEC, new Prepare3ParamsRet(Cookie.EMPTY, null))))
                .isEqualTo(new Prepare3ParamsRet(Cookie.EMPTY, null));
        var perform =
                new Perform3ParamsArgs(new DomainRef("g", new UUID(1, 2), 5), null, List.of(), Cookie.EMPTY, 0x101);
        assertThat(decode(Perform3ParamsArgs.CODEC, encode(Perform3ParamsArgs.CODEC, perform)))
                .isEqualTo(perform);
    }

    @Test
    void tooManyMigrationParamsAreRefused() {
        XdrWriter out = new XdrWriter();
        out.writeInt(65);
        assertThatThrownBy(() -> decode(Finish3ParamsArgs.CODEC, out.toByteArray()))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("maximum 64");
    }

    @Test
    void aCookieOverItsMaximumIsRefusedBeforeAllocation() {
        XdrWriter out = new XdrWriter();
        out.writeInt(0);
        out.writeInt(RemoteLimits.MIGRATE_COOKIE_MAX + 1);
        assertThatThrownBy(() -> decode(Finish3ParamsArgs.CODEC, out.toByteArray()))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("maximum " + RemoteLimits.MIGRATE_COOKIE_MAX);
    }

    @Test
    void aDomainListOverItsMaximumIsRefused() {
        XdrWriter out = new XdrWriter();
        out.writeInt(RemoteLimits.DOMAIN_LIST_MAX + 1);
        assertThatThrownBy(() -> decode(ConnectWire.ListAllDomainsRet.CODEC, out.toByteArray()))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("maximum 16384");
    }

    private static <T> byte[] encode(XdrCodec<T> codec, T value) {
        XdrWriter out = new XdrWriter();
        codec.encode(out, value);
        return out.toByteArray();
    }

    private static <T> T decode(XdrCodec<T> codec, byte[] bytes) {
        XdrReader in = new XdrReader(bytes);
        T value = codec.decode(in);
        in.requireEnd();
        return value;
    }
}
