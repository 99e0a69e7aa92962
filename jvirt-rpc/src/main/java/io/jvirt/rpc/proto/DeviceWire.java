package io.jvirt.rpc.proto;

import static io.jvirt.rpc.proto.RemoteTypes.DOMAIN;
import static io.jvirt.rpc.proto.RemoteTypes.OPTIONAL_STRING;
import static io.jvirt.rpc.proto.RemoteTypes.STRING;

import io.jvirt.api.DomainInterface;
import io.jvirt.api.DomainRef;
import io.jvirt.api.TypedParam;
import io.jvirt.rpc.xdr.TypedParamCodec;
import io.jvirt.rpc.xdr.XdrCodec;
import java.util.List;

/**
 * Device structs of {@code remote_protocol.x}: attach, detach and update, disk and interface statistics, block
 * info, interface addresses and the device events; fields in wire order. Limits from libvirt 11.3.
 */
public final class DeviceWire {
    /** {@code REMOTE_DOMAIN_BLOCK_STATS_PARAMETERS_MAX}. */
    public static final int BLOCK_STATS_PARAMETERS_MAX = 16;
    /** {@code REMOTE_DOMAIN_INTERFACE_MAX}. */
    public static final int INTERFACE_MAX = 2048;
    /** {@code REMOTE_DOMAIN_IP_ADDR_MAX}. */
    public static final int IP_ADDR_MAX = 2048;

    private DeviceWire() {}

    /** {@code { dom; remote_nonnull_string xml; }}: attach_device, detach_device. */
    public record DomainXml(DomainRef dom, String xml) {
        public static final XdrCodec<DomainXml> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    STRING.encode(out, v.xml);
                },
                in -> new DomainXml(DOMAIN.decode(in), STRING.decode(in)));
    }

    /**
     * {@code { dom; remote_nonnull_string text; unsigned int flags; }}: attach/detach/update_device_flags (the xml),
     * detach_device_alias (the alias), get_block_info (the path).
     */
    public record DomainStringFlags(DomainRef dom, String text, int flags) {
        public static final XdrCodec<DomainStringFlags> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    STRING.encode(out, v.text);
                    out.writeInt(v.flags);
                },
                in -> new DomainStringFlags(DOMAIN.decode(in), STRING.decode(in), in.readInt()));
    }

    /** {@code { dom; remote_nonnull_string path; }}: block_stats, interface_stats. */
    public record DomainPath(DomainRef dom, String path) {
        public static final XdrCodec<DomainPath> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    STRING.encode(out, v.path);
                },
                in -> new DomainPath(DOMAIN.decode(in), STRING.decode(in)));
    }

    /** {@code remote_domain_block_stats_ret}: five hypers, -1 where unknown. */
    public record BlockStatsRet(long rdReq, long rdBytes, long wrReq, long wrBytes, long errs) {
        public static final XdrCodec<BlockStatsRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeHyper(v.rdReq);
                    out.writeHyper(v.rdBytes);
                    out.writeHyper(v.wrReq);
                    out.writeHyper(v.wrBytes);
                    out.writeHyper(v.errs);
                },
                in -> new BlockStatsRet(
                        in.readHyper(), in.readHyper(), in.readHyper(), in.readHyper(), in.readHyper()));
    }

    /** {@code remote_domain_block_stats_flags_args}: nparams 0 asks how many parameters there are. */
    public record BlockStatsFlagsArgs(DomainRef dom, String path, int nparams, int flags) {
        public static final XdrCodec<BlockStatsFlagsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    STRING.encode(out, v.path);
                    out.writeInt(v.nparams);
                    out.writeInt(v.flags);
                },
                in -> new BlockStatsFlagsArgs(DOMAIN.decode(in), STRING.decode(in), in.readInt(), in.readInt()));
    }

    /**
     * {@code remote_domain_block_stats_flags_ret}: the parameters, then nparams, which libvirtd fills only when the
     * call asked for the count (params empty then) and leaves 0 otherwise.
     */
    public record BlockStatsFlagsRet(List<TypedParam> params, int nparams) {
        private static final XdrCodec<List<TypedParam>> PARAMS = TypedParamCodec.list(BLOCK_STATS_PARAMETERS_MAX);
        public static final XdrCodec<BlockStatsFlagsRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    PARAMS.encode(out, v.params);
                    out.writeInt(v.nparams);
                },
                in -> new BlockStatsFlagsRet(PARAMS.decode(in), in.readInt()));

        public BlockStatsFlagsRet {
            params = List.copyOf(params);
        }
    }

    /** {@code remote_domain_interface_stats_ret}: eight hypers, -1 where unknown. */
    public record InterfaceStatsRet(
            long rxBytes,
            long rxPackets,
            long rxErrs,
            long rxDrop,
            long txBytes,
            long txPackets,
            long txErrs,
            long txDrop) {
        public static final XdrCodec<InterfaceStatsRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    for (long n : new long[] {
                        v.rxBytes, v.rxPackets, v.rxErrs, v.rxDrop, v.txBytes, v.txPackets, v.txErrs, v.txDrop
                    }) {
                        out.writeHyper(n);
                    }
                },
                in -> new InterfaceStatsRet(
                        in.readHyper(),
                        in.readHyper(),
                        in.readHyper(),
                        in.readHyper(),
                        in.readHyper(),
                        in.readHyper(),
                        in.readHyper(),
                        in.readHyper()));
    }

    /** {@code remote_domain_get_block_info_ret}: note the order, allocation first. */
    public record BlockInfoRet(long allocation, long capacity, long physical) {
        public static final XdrCodec<BlockInfoRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeHyper(v.allocation);
                    out.writeHyper(v.capacity);
                    out.writeHyper(v.physical);
                },
                in -> new BlockInfoRet(in.readHyper(), in.readHyper(), in.readHyper()));
    }

    /** {@code remote_domain_interface_addresses_args}. */
    public record InterfaceAddressesArgs(DomainRef dom, int source, int flags) {
        public static final XdrCodec<InterfaceAddressesArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    out.writeInt(v.source);
                    out.writeInt(v.flags);
                },
                in -> new InterfaceAddressesArgs(DOMAIN.decode(in), in.readInt(), in.readInt()));
    }

    /** {@code remote_domain_ip_addr}: type, addr, prefix. */
    public static final XdrCodec<DomainInterface.Address> IP_ADDR = XdrCodec.of(
            (out, v) -> {
                out.writeInt(v.type());
                STRING.encode(out, v.addr());
                out.writeInt(v.prefix());
            },
            in -> new DomainInterface.Address(in.readInt(), STRING.decode(in), in.readInt()));

    /** {@code remote_domain_interface}: name, optional hwaddr, addrs. */
    public static final XdrCodec<DomainInterface> INTERFACE = XdrCodec.of(
            (out, v) -> {
                STRING.encode(out, v.name());
                OPTIONAL_STRING.encode(out, v.hwaddr());
                out.writeArray(v.addrs(), IP_ADDR_MAX, IP_ADDR);
            },
            in -> new DomainInterface(
                    STRING.decode(in), OPTIONAL_STRING.decode(in), in.readArray(IP_ADDR_MAX, IP_ADDR)));

    /** {@code remote_domain_interface_addresses_ret}. */
    public static final XdrCodec<List<DomainInterface>> INTERFACES = INTERFACE.list(INTERFACE_MAX);

    /** {@code remote_domain_event_device_removed_msg} (legacy, proc 311): dom, devAlias. */
    public record DeviceRemovedEvent(DomainRef dom, String alias) {
        public static final XdrCodec<DeviceRemovedEvent> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    STRING.encode(out, v.alias);
                },
                in -> new DeviceRemovedEvent(DOMAIN.decode(in), STRING.decode(in)));
    }

    /**
     * {@code remote_domain_event_callback_device_removed_msg} (333: callbackID, then the legacy message) and
     * {@code remote_domain_event_callback_device_added_msg} (354: callbackID, dom, devAlias), which have the same
     * layout on the wire.
     */
    public record CallbackDeviceEvent(int callbackId, DomainRef dom, String alias) {
        public static final XdrCodec<CallbackDeviceEvent> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeInt(v.callbackId);
                    DOMAIN.encode(out, v.dom);
                    STRING.encode(out, v.alias);
                },
                in -> new CallbackDeviceEvent(in.readInt(), DOMAIN.decode(in), STRING.decode(in)));
    }
}
