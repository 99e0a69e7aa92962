package io.jvirt.driver.migration.cookie;

import io.jvirt.config.XmlElement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A cookie's {@code statistics} section: the completed migration job's statistics, sent by the source in
 * Perform and by the destination in Finish, so both ends report the same figures (and Confirm can take over
 * {@code delta} and {@code downtime}).
 *
 * @param startedMillis when the job started, ms since the epoch
 * @param stoppedMillis when the guest's CPUs stopped, ms since the epoch
 * @param sentMillis    when this cookie was made, ms since the epoch
 * @param deltaMillis   the clock difference the receiver computed between the hosts, or null when unknown
 * @param values        job statistics under libvirt's typed-parameter names ({@link #NAMES}); kept in
 *                      {@link #NAMES} order whatever order they are given in. libvirt always writes
 *                      {@code time_elapsed}, the {@code memory_*}/{@code disk_*} totals and
 *                      {@code auto_converge_throttle}; a producer should fill them too
 */
public record CookieStatistics(
        long startedMillis, long stoppedMillis, long sentMillis, Long deltaMillis, Map<String, Long> values) {
    /** The statistic element names libvirt writes inside {@code statistics}, in its order. */
    public static final List<String> NAMES = List.of(
            "time_elapsed",
            "downtime",
            "setup_time",
            "memory_total",
            "memory_processed",
            "memory_remaining",
            "memory_bps",
            "memory_constant",
            "memory_normal",
            "memory_normal_bytes",
            "memory_dirty_rate",
            "memory_iteration",
            "memory_postcopy_requests",
            "memory_page_size",
            "disk_total",
            "disk_processed",
            "disk_remaining",
            "disk_bps",
            "compression_cache",
            "compression_bytes",
            "compression_pages",
            "compression_cache_misses",
            "compression_overflow",
            "auto_converge_throttle");

    /**
     * @throws IllegalArgumentException for a name not in {@link #NAMES}: libvirt neither writes nor reads one
     */
    public CookieStatistics {
        Objects.requireNonNull(values, "values");
        for (Map.Entry<String, Long> e : values.entrySet()) {
            if (!NAMES.contains(e.getKey())) {
                throw new IllegalArgumentException("not a migration cookie statistic: " + e.getKey());
            }
            Objects.requireNonNull(e.getValue(), e.getKey());
        }
        Map<String, Long> ordered = new LinkedHashMap<>();
        for (String name : NAMES) {
            Long v = values.get(name);
            if (v != null) {
                ordered.put(name, v);
            }
        }
        values = Collections.unmodifiableMap(ordered);
    }

    /**
     * A {@code statistics} section. Like libvirt, a figure that is absent or not a number is left out (the
     * three timestamps read as 0) rather than refused, and unknown elements are ignored.
     */
    static CookieStatistics read(XmlElement section) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String name : NAMES) {
            Long v = number(section, name);
            if (v != null) {
                values.put(name, v);
            }
        }
        return new CookieStatistics(
                orZero(number(section, "started")),
                orZero(number(section, "stopped")),
                orZero(number(section, "sent")),
                number(section, "delta"),
                values);
    }

    private static Long number(XmlElement section, String name) {
        String text = MigrationCookieXml.childText(section, name);
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
