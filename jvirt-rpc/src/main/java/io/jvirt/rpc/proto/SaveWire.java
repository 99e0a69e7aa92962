package io.jvirt.rpc.proto;

import static io.jvirt.rpc.proto.RemoteTypes.DOMAIN;
import static io.jvirt.rpc.proto.RemoteTypes.OPTIONAL_STRING;
import static io.jvirt.rpc.proto.RemoteTypes.SAVE_PARAMS;
import static io.jvirt.rpc.proto.RemoteTypes.STRING;

import io.jvirt.api.DomainRef;
import io.jvirt.api.TypedParam;
import io.jvirt.rpc.xdr.XdrCodec;
import java.util.List;

/** Save, restore and dump structs of {@code remote_protocol.x}, fields in wire order. */
public final class SaveWire {
    private SaveWire() {}

    /** {@code remote_domain_save_args} (55). */
    public record SaveArgs(DomainRef dom, String to) {
        public static final XdrCodec<SaveArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    STRING.encode(out, v.to);
                },
                in -> new SaveArgs(DOMAIN.decode(in), STRING.decode(in)));
    }

    /** {@code remote_domain_save_flags_args} (232): dxml may be null. */
    public record SaveFlagsArgs(DomainRef dom, String to, String dxml, int flags) {
        public static final XdrCodec<SaveFlagsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    STRING.encode(out, v.to);
                    OPTIONAL_STRING.encode(out, v.dxml);
                    out.writeInt(v.flags);
                },
                in -> new SaveFlagsArgs(
                        DOMAIN.decode(in), STRING.decode(in), OPTIONAL_STRING.decode(in), in.readInt()));
    }

    /** {@code remote_domain_save_params_args} (440). */
    public record SaveParamsArgs(DomainRef dom, List<TypedParam> params, int flags) {
        public static final XdrCodec<SaveParamsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    SAVE_PARAMS.encode(out, v.params);
                    out.writeInt(v.flags);
                },
                in -> new SaveParamsArgs(DOMAIN.decode(in), SAVE_PARAMS.decode(in), in.readInt()));
    }

    /** {@code remote_domain_restore_flags_args} (233): dxml may be null. */
    public record RestoreFlagsArgs(String from, String dxml, int flags) {
        public static final XdrCodec<RestoreFlagsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    STRING.encode(out, v.from);
                    OPTIONAL_STRING.encode(out, v.dxml);
                    out.writeInt(v.flags);
                },
                in -> new RestoreFlagsArgs(STRING.decode(in), OPTIONAL_STRING.decode(in), in.readInt()));
    }

    /** {@code remote_domain_restore_params_args} (441). */
    public record RestoreParamsArgs(List<TypedParam> params, int flags) {
        public static final XdrCodec<RestoreParamsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    SAVE_PARAMS.encode(out, v.params);
                    out.writeInt(v.flags);
                },
                in -> new RestoreParamsArgs(SAVE_PARAMS.decode(in), in.readInt()));
    }

    /** {@code remote_domain_save_image_get_xml_desc_args} (235). */
    public record ImageFlagsArgs(String file, int flags) {
        public static final XdrCodec<ImageFlagsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    STRING.encode(out, v.file);
                    out.writeInt(v.flags);
                },
                in -> new ImageFlagsArgs(STRING.decode(in), in.readInt()));
    }

    /** {@code remote_domain_save_image_define_xml_args} (236). */
    public record ImageDefineXmlArgs(String file, String dxml, int flags) {
        public static final XdrCodec<ImageDefineXmlArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    STRING.encode(out, v.file);
                    STRING.encode(out, v.dxml);
                    out.writeInt(v.flags);
                },
                in -> new ImageDefineXmlArgs(STRING.decode(in), STRING.decode(in), in.readInt()));
    }

    /** {@code remote_domain_core_dump_args} (53). */
    public record CoreDumpArgs(DomainRef dom, String to, int flags) {
        public static final XdrCodec<CoreDumpArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    STRING.encode(out, v.to);
                    out.writeInt(v.flags);
                },
                in -> new CoreDumpArgs(DOMAIN.decode(in), STRING.decode(in), in.readInt()));
    }

    /** {@code remote_domain_core_dump_with_format_args} (334). */
    public record CoreDumpWithFormatArgs(DomainRef dom, String to, int dumpFormat, int flags) {
        public static final XdrCodec<CoreDumpWithFormatArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    STRING.encode(out, v.to);
                    out.writeInt(v.dumpFormat);
                    out.writeInt(v.flags);
                },
                in -> new CoreDumpWithFormatArgs(DOMAIN.decode(in), STRING.decode(in), in.readInt(), in.readInt()));
    }
}
