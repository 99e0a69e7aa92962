package io.jvirt.rpc.proto;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.DomainInterface;
import io.jvirt.api.DomainRef;
import io.jvirt.api.TypedParam;
import io.jvirt.rpc.Hex;
import io.jvirt.rpc.proto.DeviceWire.BlockInfoRet;
import io.jvirt.rpc.proto.DeviceWire.BlockStatsFlagsArgs;
import io.jvirt.rpc.proto.DeviceWire.BlockStatsFlagsRet;
import io.jvirt.rpc.proto.DeviceWire.CallbackDeviceEvent;
import io.jvirt.rpc.proto.DeviceWire.DomainStringFlags;
import io.jvirt.rpc.proto.DeviceWire.InterfaceStatsRet;
import io.jvirt.rpc.wire.Frames;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageEncoder;
import io.jvirt.rpc.xdr.XdrCodec;
import io.jvirt.rpc.xdr.XdrReader;
import io.jvirt.rpc.xdr.XdrWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The device procedures' structs, written out word by word from remote_protocol.x (libvirt 11.3). */
class DeviceWireTest {
    private static final DomainRef G1 = new DomainRef("g1", UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"), 1);
    private static final String G1_HEX = "00000002 67310000 00112233 44556677 8899aabb ccddeeff 00000001";

    @Test
    void detachDeviceAliasArgsAreDomainAliasFlags() {
        var args = new DomainStringFlags(G1, "virtio-disk1", 1);
        byte[] golden = Hex.bytes(G1_HEX + """

                0000000c 76697274 696f2d64 69736b31
                00000001
                """);
        assertThat(encode(RemoteProcedures.DOMAIN_DETACH_DEVICE_ALIAS.args(), args))
                .isEqualTo(golden);
        assertThat(decode(RemoteProcedures.DOMAIN_DETACH_DEVICE_ALIAS.args(), golden))
                .isEqualTo(args);
    }

    @Test
    void blockStatsFlagsArgsCarryTheCountAskedFor() {
        var args = new BlockStatsFlagsArgs(G1, "vda", 0, 0);
        assertThat(encode(BlockStatsFlagsArgs.CODEC, args)).isEqualTo(Hex.bytes(G1_HEX + """

                00000003 76646100
                00000000
                00000000
                """));
    }

    @Test
    void blockStatsFlagsRetIsParamsThenNparams() {
        var ret = new BlockStatsFlagsRet(List.of(new TypedParam("wr_bytes", TypedParam.Type.LLONG, 4096L)), 0);
        byte[] golden = Hex.bytes("""
                00000001
                00000008 77725f62 79746573
                00000003 00000000 00001000
                00000000
                """);
        assertThat(encode(BlockStatsFlagsRet.CODEC, ret)).isEqualTo(golden);
        assertThat(decode(BlockStatsFlagsRet.CODEC, golden)).isEqualTo(ret);
        // The count-only answer: no params, nparams filled.
        assertThat(encode(BlockStatsFlagsRet.CODEC, new BlockStatsFlagsRet(List.of(), 8)))
                .isEqualTo(Hex.bytes("00000000 00000008"));
    }

    @Test
    void blockInfoRetStartsWithAllocation() {
        assertThat(encode(BlockInfoRet.CODEC, new BlockInfoRet(1, 2, 3))).isEqualTo(Hex.bytes("""
                00000000 00000001
                00000000 00000002
                00000000 00000003
                """));
    }

    @Test
    void interfaceStatsRetIsEightHypersRxFirst() {
        byte[] bytes = encode(InterfaceStatsRet.CODEC, new InterfaceStatsRet(1, 2, 3, 4, 5, 6, 7, -1));
        assertThat(bytes).hasSize(64);
        assertThat(Hex.of(bytes)).startsWith("0000000000000001").endsWith("ffffffffffffffff");
    }

    @Test
    void interfaceAddressesRetNestsAddressesInInterfaces() {
        var ifaces = List.of(new DomainInterface(
                "vnet0", "52:54:00:12:34:56", List.of(new DomainInterface.Address(0, "10.0.2.15", 24))));
        byte[] golden = Hex.bytes("""
                00000001
                00000005 766e6574 30000000
                00000001 00000011 35323a35 343a3030 3a31323a 33343a35 36000000
                00000001
                00000000 00000009 31302e30 2e322e31 35000000 00000018
                """);
        assertThat(encode(RemoteProcedures.DOMAIN_INTERFACE_ADDRESSES.ret(), ifaces))
                .isEqualTo(golden);
        assertThat(decode(RemoteProcedures.DOMAIN_INTERFACE_ADDRESSES.ret(), golden))
                .isEqualTo(ifaces);
        // No MAC: hwaddr absent.
        assertThat(encode(DeviceWire.INTERFACE, new DomainInterface("lo", null, List.of())))
                .isEqualTo(Hex.bytes("00000002 6c6f0000 00000000 00000000"));
    }

    @Test
    void deviceRemovedCallbackEventFrame() throws Exception {
        byte[] golden = Hex.bytes("""
                0000004c
                20008086 00000001 0000014d 00000002 00000001 00000000
                00000000
                """ + G1_HEX + """

                0000000c 76697274 696f2d64 69736b31
                """);
        Message event = RemoteProcedures.DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED.event(
                1, new CallbackDeviceEvent(0, G1, "virtio-disk1"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MessageEncoder().write(out, event);
        assertThat(out.toByteArray()).isEqualTo(golden);
        Message read = Frames.read(new ByteArrayInputStream(golden)).orElseThrow();
        assertThat(RemoteProcedures.DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED.decodeArgs(read))
                .isEqualTo(new CallbackDeviceEvent(0, G1, "virtio-disk1"));
    }

    @Test
    void legacyDeviceRemovedEventHasNoCallbackId() {
        assertThat(encode(
                        RemoteProcedures.DOMAIN_EVENT_DEVICE_REMOVED.args(),
                        new DeviceWire.DeviceRemovedEvent(G1, "net1")))
                .isEqualTo(Hex.bytes(G1_HEX + " 00000004 6e657431"));
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
