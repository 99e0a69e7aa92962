package io.jvirt.api;

import java.util.List;
import java.util.Optional;

/**
 * One of libvirt's typed parameters ({@code virTypedParameter}): a field name, a type with its wire number and a
 * value of the matching Java type (Integer for INT/UINT, Long for LLONG/ULLONG, Double, Boolean, String).
 */
public record TypedParam(String field, Type type, Object value) {

    /** {@code virTypedParameterType}: wire values. */
    public enum Type {
        INT(1),
        UINT(2),
        LLONG(3),
        ULLONG(4),
        DOUBLE(5),
        BOOLEAN(6),
        STRING(7);

        private final int wire;

        Type(int wire) {
            this.wire = wire;
        }

        public int wire() {
            return wire;
        }
    }

    public static TypedParam ullong(String field, long value) {
        return new TypedParam(field, Type.ULLONG, value);
    }

    public static TypedParam integer(String field, int value) {
        return new TypedParam(field, Type.INT, value);
    }

    public static TypedParam string(String field, String value) {
        return new TypedParam(field, Type.STRING, value);
    }

    /** The value of {@code field} in {@code params}, if present. */
    public static Optional<Object> find(List<TypedParam> params, String field) {
        return params.stream()
                .filter(p -> p.field().equals(field))
                .map(TypedParam::value)
                .findFirst();
    }
}
