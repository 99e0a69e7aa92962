package io.jvirt.qmp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reply to {@code query-migrate-parameters}: the values the driver reads typed, plus every parameter QEMU reported
 * in {@link #raw()} (QMP names, plain Java values: Long, Boolean, String, Double, Map, List) for saving and restoring
 * the originals. A typed value QEMU did not report is 0; {@link #has} tells an absent parameter from a zero one.
 *
 * @param maxBandwidth          bytes/s for pre-copy ({@code max-bandwidth})
 * @param downtimeLimitMs       largest tolerated downtime ({@code downtime-limit})
 * @param xbzrleCacheSize       bytes ({@code xbzrle-cache-size})
 * @param multifdChannels       parallel connections ({@code multifd-channels})
 * @param cpuThrottleInitial    auto-converge initial throttle, percent ({@code cpu-throttle-initial})
 * @param cpuThrottleIncrement  auto-converge throttle step, percent ({@code cpu-throttle-increment})
 * @param maxPostcopyBandwidth  bytes/s in post-copy, 0 = unlimited ({@code max-postcopy-bandwidth})
 * @param raw                   everything QEMU reported, in its order; unmodifiable
 */
public record MigrationParameters(
        long maxBandwidth,
        long downtimeLimitMs,
        long xbzrleCacheSize,
        int multifdChannels,
        int cpuThrottleInitial,
        int cpuThrottleIncrement,
        long maxPostcopyBandwidth,
        Map<String, Object> raw) {
    public MigrationParameters {
        raw = Collections.unmodifiableMap(new LinkedHashMap<>(raw));
    }

    /** True if QEMU reported the parameter named {@code qmpName}, e.g. {@code "downtime-limit"}. */
    public boolean has(String qmpName) {
        return raw.containsKey(qmpName);
    }
}
