package io.jvirt.rpc.proto;

import static io.jvirt.rpc.proto.RemoteTypes.COOKIE;
import static io.jvirt.rpc.proto.RemoteTypes.DOMAIN;
import static io.jvirt.rpc.proto.RemoteTypes.MIGRATE_PARAMS;
import static io.jvirt.rpc.proto.RemoteTypes.OPTIONAL_STRING;
import static io.jvirt.rpc.proto.RemoteTypes.STRING;

import io.jvirt.api.DomainRef;
import io.jvirt.api.TypedParam;
import io.jvirt.rpc.xdr.XdrCodec;
import java.util.List;

/** The migration v3 "params" structs (302–307) of {@code remote_protocol.x}, fields in wire order. */
public final class MigrationWire {
    private MigrationWire() {}

    /** {@code remote_domain_migrate_begin3_params_args}. */
    public record Begin3ParamsArgs(DomainRef dom, List<TypedParam> params, int flags) {
        public static final XdrCodec<Begin3ParamsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    MIGRATE_PARAMS.encode(out, v.params);
                    out.writeInt(v.flags);
                },
                in -> new Begin3ParamsArgs(DOMAIN.decode(in), MIGRATE_PARAMS.decode(in), in.readInt()));
    }

    /** {@code remote_domain_migrate_begin3_params_ret}: the cookie for Prepare and the domain XML. */
    public record Begin3ParamsRet(Cookie cookieOut, String xml) {
        public static final XdrCodec<Begin3ParamsRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    COOKIE.encode(out, v.cookieOut);
                    STRING.encode(out, v.xml);
                },
                in -> new Begin3ParamsRet(COOKIE.decode(in), STRING.decode(in)));
    }

    /** {@code remote_domain_migrate_prepare3_params_args}, also the args of PREPARE_TUNNEL3_PARAMS (304). */
    public record Prepare3ParamsArgs(List<TypedParam> params, Cookie cookieIn, int flags) {
        public static final XdrCodec<Prepare3ParamsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    MIGRATE_PARAMS.encode(out, v.params);
                    COOKIE.encode(out, v.cookieIn);
                    out.writeInt(v.flags);
                },
                in -> new Prepare3ParamsArgs(MIGRATE_PARAMS.decode(in), COOKIE.decode(in), in.readInt()));
    }

    /** {@code remote_domain_migrate_prepare3_params_ret}: uriOut may be null. */
    public record Prepare3ParamsRet(Cookie cookieOut, String uriOut) {
        public static final XdrCodec<Prepare3ParamsRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    COOKIE.encode(out, v.cookieOut);
                    OPTIONAL_STRING.encode(out, v.uriOut);
                },
                in -> new Prepare3ParamsRet(COOKIE.decode(in), OPTIONAL_STRING.decode(in)));
    }

    /** {@code remote_domain_migrate_perform3_params_args}: dconnuri is set for peer-to-peer only. */
    public record Perform3ParamsArgs(
            DomainRef dom, String dconnuri, List<TypedParam> params, Cookie cookieIn, int flags) {
        public static final XdrCodec<Perform3ParamsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    OPTIONAL_STRING.encode(out, v.dconnuri);
                    MIGRATE_PARAMS.encode(out, v.params);
                    COOKIE.encode(out, v.cookieIn);
                    out.writeInt(v.flags);
                },
                in -> new Perform3ParamsArgs(
                        DOMAIN.decode(in),
                        OPTIONAL_STRING.decode(in),
                        MIGRATE_PARAMS.decode(in),
                        COOKIE.decode(in),
                        in.readInt()));
    }

    /** {@code remote_domain_migrate_finish3_params_args}. */
    public record Finish3ParamsArgs(List<TypedParam> params, Cookie cookieIn, int flags, int cancelled) {
        public static final XdrCodec<Finish3ParamsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    MIGRATE_PARAMS.encode(out, v.params);
                    COOKIE.encode(out, v.cookieIn);
                    out.writeInt(v.flags);
                    out.writeInt(v.cancelled);
                },
                in -> new Finish3ParamsArgs(MIGRATE_PARAMS.decode(in), COOKIE.decode(in), in.readInt(), in.readInt()));
    }

    /** {@code remote_domain_migrate_finish3_params_ret}: the domain as it now runs on the destination. */
    public record Finish3ParamsRet(DomainRef dom, Cookie cookieOut) {
        public static final XdrCodec<Finish3ParamsRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    COOKIE.encode(out, v.cookieOut);
                },
                in -> new Finish3ParamsRet(DOMAIN.decode(in), COOKIE.decode(in)));
    }

    /** {@code remote_domain_migrate_confirm3_params_args}. */
    public record Confirm3ParamsArgs(
            DomainRef dom, List<TypedParam> params, Cookie cookieIn, int flags, int cancelled) {
        public static final XdrCodec<Confirm3ParamsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    MIGRATE_PARAMS.encode(out, v.params);
                    COOKIE.encode(out, v.cookieIn);
                    out.writeInt(v.flags);
                    out.writeInt(v.cancelled);
                },
                in -> new Confirm3ParamsArgs(
                        DOMAIN.decode(in), MIGRATE_PARAMS.decode(in), COOKIE.decode(in), in.readInt(), in.readInt()));
    }
}
