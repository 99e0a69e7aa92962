package io.jvirt.config;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.util.Locale;

/**
 * libvirt's memory size units: {@code b}/{@code byte}/{@code bytes}; a bare letter {@code k m g t p e} or that
 * letter followed by {@code iB} is a power of 1024; the letter followed by {@code B} is a power of 1000. Letters
 * are case-insensitive; no unit means KiB. Sizes are stored in KiB, rounded up as libvirt rounds.
 */
public final class MemoryUnits {
    private static final String POWERS = "kmgtpe";

    private MemoryUnits() {}

    /**
     * The size {@code value} {@code unit} in KiB, rounded up.
     *
     * @throws VirtException INVALID_ARG {@code "unknown suffix 'XB'"}; OVERFLOW when the size passes 2^63-1 bytes
     */
    public static long toKiB(long value, String unit) {
        if (value < 0) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, "negative memory size " + value);
        }
        long scale = scale(unit);
        if (value != 0 && value > Long.MAX_VALUE / scale) {
            throw VirtException.of(
                    ErrorCode.OVERFLOW, ErrorDomain.DOMAIN, "value too large: " + value + (unit == null ? "" : unit));
        }
        long bytes = value * scale;
        return bytes / 1024 + (bytes % 1024 == 0 ? 0 : 1);
    }

    /** Bytes per {@code unit}; null or empty means KiB. */
    public static long scale(String unit) {
        if (unit == null || unit.isEmpty()) {
            return 1024;
        }
        String lower = unit.toLowerCase(Locale.ROOT);
        if (lower.equals("b") || lower.equals("byte") || lower.equals("bytes")) {
            return 1;
        }
        int power = POWERS.indexOf(lower.charAt(0)) + 1;
        String rest = lower.substring(1);
        long base;
        if (rest.isEmpty() || rest.equals("ib")) {
            base = 1024;
        } else if (rest.equals("b")) {
            base = 1000;
        } else {
            power = 0;
            base = 0;
        }
        if (power == 0) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, "unknown suffix '" + unit + "'");
        }
        long scale = 1;
        for (int i = 0; i < power; i++) {
            scale *= base;
        }
        return scale;
    }
}
