package io.jvirt.rpc.proto;

import static io.jvirt.rpc.proto.RemoteTypes.COOKIE;
import static io.jvirt.rpc.proto.RemoteTypes.DOMAIN;
import static io.jvirt.rpc.proto.RemoteTypes.OPTIONAL_STRING;
import static io.jvirt.rpc.proto.RemoteTypes.STRING;

import io.jvirt.api.DomainRef;
import io.jvirt.rpc.xdr.XdrCodec;

/**
 * The version 2 migration structs (62, 108, 109, 148), fields in wire order. Unlike v3-params, flags and
 * resource (bandwidth, MiB/s) are unsigned hypers here.
 */
public final class MigrationV2Wire {
    private MigrationV2Wire() {}

    /** {@code remote_domain_migrate_prepare2_args}: uriIn and dname may be null. */
    public record Prepare2Args(String uriIn, long flags, String dname, long resource, String domXml) {
        public static final XdrCodec<Prepare2Args> CODEC = XdrCodec.of(
                (out, v) -> {
                    OPTIONAL_STRING.encode(out, v.uriIn);
                    out.writeHyper(v.flags);
                    OPTIONAL_STRING.encode(out, v.dname);
                    out.writeHyper(v.resource);
                    STRING.encode(out, v.domXml);
                },
                in -> new Prepare2Args(
                        OPTIONAL_STRING.decode(in),
                        in.readHyper(),
                        OPTIONAL_STRING.decode(in),
                        in.readHyper(),
                        STRING.decode(in)));
    }

    /** {@code remote_domain_migrate_prepare2_ret}: uriOut may be null. */
    public record Prepare2Ret(Cookie cookie, String uriOut) {
        public static final XdrCodec<Prepare2Ret> CODEC = XdrCodec.of(
                (out, v) -> {
                    COOKIE.encode(out, v.cookie);
                    OPTIONAL_STRING.encode(out, v.uriOut);
                },
                in -> new Prepare2Ret(COOKIE.decode(in), OPTIONAL_STRING.decode(in)));
    }

    /** {@code remote_domain_migrate_perform_args}: dname may be null. */
    public record PerformArgs(DomainRef dom, Cookie cookie, String uri, long flags, String dname, long resource) {
        public static final XdrCodec<PerformArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    COOKIE.encode(out, v.cookie);
                    STRING.encode(out, v.uri);
                    out.writeHyper(v.flags);
                    OPTIONAL_STRING.encode(out, v.dname);
                    out.writeHyper(v.resource);
                },
                in -> new PerformArgs(
                        DOMAIN.decode(in),
                        COOKIE.decode(in),
                        STRING.decode(in),
                        in.readHyper(),
                        OPTIONAL_STRING.decode(in),
                        in.readHyper()));
    }

    /** {@code remote_domain_migrate_finish2_args}: retcode is Perform's result (0 = success). */
    public record Finish2Args(String dname, Cookie cookie, String uri, long flags, int retcode) {
        public static final XdrCodec<Finish2Args> CODEC = XdrCodec.of(
                (out, v) -> {
                    STRING.encode(out, v.dname);
                    COOKIE.encode(out, v.cookie);
                    STRING.encode(out, v.uri);
                    out.writeHyper(v.flags);
                    out.writeInt(v.retcode);
                },
                in -> new Finish2Args(
                        STRING.decode(in), COOKIE.decode(in), STRING.decode(in), in.readHyper(), in.readInt()));
    }

    /** {@code remote_domain_migrate_prepare_tunnel_args}: the call opens a write stream. */
    public record PrepareTunnelArgs(long flags, String dname, long resource, String domXml) {
        public static final XdrCodec<PrepareTunnelArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeHyper(v.flags);
                    OPTIONAL_STRING.encode(out, v.dname);
                    out.writeHyper(v.resource);
                    STRING.encode(out, v.domXml);
                },
                in -> new PrepareTunnelArgs(
                        in.readHyper(), OPTIONAL_STRING.decode(in), in.readHyper(), STRING.decode(in)));
    }
}
