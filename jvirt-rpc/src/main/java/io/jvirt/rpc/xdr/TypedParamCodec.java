package io.jvirt.rpc.xdr;

import io.jvirt.api.TypedParam;
import java.util.List;

/**
 * libvirt's {@code remote_typed_param}: the field name, then a union whose 4-byte discriminant is the
 * {@link TypedParam.Type} wire number. Java values: Integer for INT and UINT (UINT keeps the bits), Long for
 * LLONG and ULLONG, Double, Boolean (sent as int 0/1), String.
 */
public final class TypedParamCodec {
    /** {@code VIR_TYPED_PARAM_FIELD_LENGTH}: the name buffer, including its NUL. */
    public static final int FIELD_LENGTH = 80;
    /** Longest name that fits the buffer. */
    public static final int FIELD_MAX = FIELD_LENGTH - 1;
    /** String values are {@code remote_nonnull_string}, bounded by {@code REMOTE_STRING_MAX}. */
    public static final int STRING_VALUE_MAX = 4_194_304;

    /** One typed parameter. */
    public static final XdrCodec<TypedParam> PARAM = XdrCodec.of(TypedParamCodec::encode, TypedParamCodec::decode);

    private TypedParamCodec() {}

    /** A list of at most {@code max} parameters, {@code max} being the procedure's limit from the .x file. */
    public static XdrCodec<List<TypedParam>> list(int max) {
        return PARAM.list(max);
    }

    private static void encode(XdrWriter out, TypedParam p) {
        out.writeString(p.field(), FIELD_MAX);
        out.writeInt(p.type().wire());
        Object v = p.value();
        switch (p.type()) {
            case INT, UINT -> out.writeInt(as(Integer.class, p));
            case LLONG, ULLONG -> out.writeHyper(as(Long.class, p));
            case DOUBLE -> out.writeDouble(as(Double.class, p));
            case BOOLEAN -> out.writeBool(as(Boolean.class, p));
            case STRING -> out.writeString(as(String.class, p), STRING_VALUE_MAX);
            default -> throw new XdrException("unknown parameter type " + p.type() + " for " + p.field() + "=" + v);
        }
    }

    private static TypedParam decode(XdrReader in) {
        String field = in.readString(FIELD_MAX);
        int type = in.readInt();
        return switch (type) {
            case 1 -> new TypedParam(field, TypedParam.Type.INT, in.readInt());
            case 2 -> new TypedParam(field, TypedParam.Type.UINT, in.readInt());
            case 3 -> new TypedParam(field, TypedParam.Type.LLONG, in.readHyper());
            case 4 -> new TypedParam(field, TypedParam.Type.ULLONG, in.readHyper());
            case 5 -> new TypedParam(field, TypedParam.Type.DOUBLE, in.readDouble());
            case 6 -> new TypedParam(field, TypedParam.Type.BOOLEAN, in.readInt() != 0);
            case 7 -> new TypedParam(field, TypedParam.Type.STRING, in.readString(STRING_VALUE_MAX));
            default -> throw new XdrException("unknown parameter type: " + type + " for field " + field);
        };
    }

    private static <T> T as(Class<T> type, TypedParam p) {
        if (!type.isInstance(p.value())) {
            throw new XdrException("typed parameter " + p.field() + " of type " + p.type() + " holds "
                    + (p.value() == null ? "null" : p.value().getClass().getSimpleName()));
        }
        return type.cast(p.value());
    }
}
