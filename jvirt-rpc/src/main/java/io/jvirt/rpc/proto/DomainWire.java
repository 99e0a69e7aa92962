package io.jvirt.rpc.proto;

import static io.jvirt.rpc.proto.RemoteTypes.DOMAIN;
import static io.jvirt.rpc.proto.RemoteTypes.STRING;

import io.jvirt.api.DomainRef;
import io.jvirt.rpc.xdr.XdrCodec;

/** Domain structs of {@code remote_protocol.x} shared by many procedures, fields in wire order. */
public final class DomainWire {
    private DomainWire() {}

    /** {@code { remote_nonnull_domain dom; unsigned int flags; }}, the commonest args shape. */
    public record DomainFlags(DomainRef dom, int flags) {
        public static final XdrCodec<DomainFlags> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    out.writeInt(v.flags);
                },
                in -> new DomainFlags(DOMAIN.decode(in), in.readInt()));
    }

    /** {@code { dom; int value; }}: set_autostart and set_autostart_once. */
    public record DomainInt(DomainRef dom, int value) {
        public static final XdrCodec<DomainInt> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    out.writeInt(v.value);
                },
                in -> new DomainInt(DOMAIN.decode(in), in.readInt()));
    }

    /** {@code { dom; unsigned hyper value; unsigned int flags; }}: migrate set max downtime / speed. */
    public record DomainHyperFlags(DomainRef dom, long value, int flags) {
        public static final XdrCodec<DomainHyperFlags> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    out.writeHyper(v.value);
                    out.writeInt(v.flags);
                },
                in -> new DomainHyperFlags(DOMAIN.decode(in), in.readHyper(), in.readInt()));
    }

    /** {@code { remote_nonnull_string xml; unsigned int flags; }}: create_xml, define_xml_flags. */
    public record XmlFlags(String xml, int flags) {
        public static final XdrCodec<XmlFlags> CODEC = XdrCodec.of(
                (out, v) -> {
                    STRING.encode(out, v.xml);
                    out.writeInt(v.flags);
                },
                in -> new XmlFlags(STRING.decode(in), in.readInt()));
    }

    /**
     * {@code remote_domain_get_info_ret}: state is an {@code unsigned char} and nrVirtCpu an
     * {@code unsigned short}, each still a 4-byte word; memory in KiB, cpu time in ns.
     */
    public record InfoRet(int state, long maxMemKiB, long memoryKiB, int nrVirtCpu, long cpuTimeNs) {
        public static final XdrCodec<InfoRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeInt(v.state);
                    out.writeHyper(v.maxMemKiB);
                    out.writeHyper(v.memoryKiB);
                    out.writeInt(v.nrVirtCpu);
                    out.writeHyper(v.cpuTimeNs);
                },
                in -> new InfoRet(in.readInt(), in.readHyper(), in.readHyper(), in.readInt(), in.readHyper()));
    }

    /** {@code remote_domain_get_state_ret}. */
    public record StateRet(int state, int reason) {
        public static final XdrCodec<StateRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeInt(v.state);
                    out.writeInt(v.reason);
                },
                in -> new StateRet(in.readInt(), in.readInt()));
    }

    /** {@code remote_domain_get_security_label_ret}: label is a char array counting its NUL. */
    public record SecurityLabel(String label, int enforcing) {
        private static final XdrCodec<String> LABEL = RemoteTypes.charArray(RemoteLimits.SECURITY_LABEL_MAX);
        public static final XdrCodec<SecurityLabel> CODEC = XdrCodec.of(
                (out, v) -> {
                    LABEL.encode(out, v.label);
                    out.writeInt(v.enforcing);
                },
                in -> new SecurityLabel(LABEL.decode(in), in.readInt()));
    }
}
