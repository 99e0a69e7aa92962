package io.jvirt.qmp;

import java.util.List;
import java.util.Map;

/**
 * Plain Java values as compact JSON text, for QEMU's JSON command-line options ({@code -netdev {...}},
 * {@code -device {...}}), so the driver can build them without a JSON library: Map (keys as strings, in the
 * map's order), List, String, Number, Boolean and null. Stateless and thread-safe.
 */
public final class JsonText {
    private JsonText() {}

    /**
     * The value as compact JSON ({@code {"a":1,"b":[true,null]}}).
     *
     * @throws IllegalArgumentException for a value of another type, or a non-finite number
     */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        append(b, value);
        return b.toString();
    }

    private static void append(StringBuilder b, Object value) {
        switch (value) {
            case null -> b.append("null");
            case String s -> string(b, s);
            case Boolean bool -> b.append(bool);
            case Double d when d.isNaN() || d.isInfinite() -> throw new IllegalArgumentException("not JSON: " + d);
            case Float f when f.isNaN() || f.isInfinite() -> throw new IllegalArgumentException("not JSON: " + f);
            case Number n -> b.append(n);
            case Map<?, ?> map -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    string(b, String.valueOf(e.getKey()));
                    b.append(':');
                    append(b, e.getValue());
                }
                b.append('}');
            }
            case List<?> list -> {
                b.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    append(b, list.get(i));
                }
                b.append(']');
            }
            default ->
                throw new IllegalArgumentException(
                        "no JSON form for " + value.getClass().getName());
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
