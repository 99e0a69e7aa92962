package io.jvirt.driver.root;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A settings file in libvirt's conf syntax ({@code libvirtd.conf}, {@code qemu.conf}): {@code key = value} lines,
 * values being "strings", integers or ["lists", "of strings"]; {@code #} starts a comment. Values are kept as
 * text (lists as their items); typed access converts and names the key on error.
 */
public final class ConfFile {
    private static final long MAX_BYTES = 1 << 20;
    /** An integer value; compiled once, as every unquoted value of every line is matched against it. */
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    private final Path source;
    private final Map<String, List<String>> values;

    private ConfFile(Path source, Map<String, List<String>> values) {
        this.source = source;
        this.values = values;
    }

    /** Reads {@code file}; a missing file is an empty configuration. */
    public static ConfFile load(Path file) {
        if (!Files.exists(file)) {
            return new ConfFile(file, Map.of());
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw error(file, 0, "file is larger than " + MAX_BYTES + " bytes");
            }
            return parse(file, Files.readString(file));
        } catch (IOException e) {
            throw VirtException.of(ErrorCode.READ_FAILED, ErrorDomain.CONF, file + ": " + e.getMessage(), e);
        }
    }

    static ConfFile parse(Path source, String text) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i]).strip();
            if (line.isEmpty()) {
                continue;
            }
            // Values become paths and arguments, which cannot carry a NUL; libvirt's C strings cannot either.
            if (line.indexOf('\0') >= 0) {
                throw error(source, i + 1, "a NUL character is not allowed");
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw error(source, i + 1, "expected 'key = value'");
            }
            String key = line.substring(0, eq).strip();
            String raw = line.substring(eq + 1).strip();
            values.put(key, parseValue(source, i + 1, raw));
        }
        return new ConfFile(source, Collections.unmodifiableMap(values));
    }

    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static List<String> parseValue(Path source, int lineNo, String raw) {
        if (raw.startsWith("[")) {
            if (!raw.endsWith("]")) {
                throw error(source, lineNo, "unterminated list");
            }
            List<String> items = new ArrayList<>();
            String body = raw.substring(1, raw.length() - 1).strip();
            if (!body.isEmpty()) {
                for (String item : splitOutsideQuotes(body)) {
                    items.add(unquote(source, lineNo, item.strip()));
                }
            }
            return List.copyOf(items);
        }
        return List.of(unquote(source, lineNo, raw));
    }

    /** Splits list items at commas that are not inside a string ({@code ["C=UK,CN=a", "C=UK,CN=b"]}). */
    private static List<String> splitOutsideQuotes(String body) {
        List<String> items = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                items.add(body.substring(start, i));
                start = i + 1;
            }
        }
        items.add(body.substring(start));
        return items;
    }

    private static String unquote(Path source, int lineNo, String raw) {
        if (raw.startsWith("\"")) {
            if (raw.length() < 2 || !raw.endsWith("\"")) {
                throw error(source, lineNo, "unterminated string");
            }
            return raw.substring(1, raw.length() - 1);
        }
        if (!isInteger(raw)) {
            throw error(source, lineNo, "expected a \"string\", a number or a [list]: " + raw);
        }
        return raw;
    }

    /** Whether {@code text} is an integer as this syntax writes one: digits, perhaps after a minus sign. */
    public static boolean isInteger(String text) {
        return INTEGER.matcher(text).matches();
    }

    private static VirtException error(Path source, int line, String what) {
        return VirtException.of(ErrorCode.CONF_SYNTAX, ErrorDomain.CONF, source + ":" + line + ": " + what);
    }

    public String string(String key, String fallback) {
        List<String> v = values.get(key);
        return v == null || v.isEmpty() ? fallback : v.getFirst();
    }

    public long number(String key, long fallback) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw VirtException.of(
                    ErrorCode.CONF_SYNTAX,
                    ErrorDomain.CONF,
                    source + ": setting '" + key + "' must be a number, not '" + v + "'");
        }
    }

    public List<String> list(String key) {
        return values.getOrDefault(key, List.of());
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }
}
