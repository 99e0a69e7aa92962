package io.jvirt.qmp;

import java.util.List;

/**
 * The reply to {@code query-migrate}: what libvirt's job info and job statistics are built from.
 *
 * <p>Missing values: QEMU reports only what applies to the current phase ({@code downtime} once completed,
 * {@code expected-downtime} while active, nothing but the status on the destination). A missing number is 0,
 * a missing {@code error-desc} is null, missing {@code blocked-reasons} an empty list, a missing {@code ram} section
 * {@link MigrationRamStats#NONE}, a missing {@code xbzrle-cache} section null, a missing status {@link MigrationStatus#NONE}.
 *
 * @param status                 {@code status}
 * @param totalTimeMs            time since the migration started, or its total once finished ({@code total-time})
 * @param setupTimeMs            time spent in setup ({@code setup-time})
 * @param expectedDowntimeMs     QEMU's estimate while active ({@code expected-downtime})
 * @param downtimeMs             the real downtime once completed ({@code downtime})
 * @param cpuThrottlePercentage  auto-converge throttle in percent ({@code cpu-throttle-percentage})
 * @param errorDesc              why it failed ({@code error-desc}); null when QEMU gave no reason
 * @param blockedReasons         why migration is not possible now ({@code blocked-reasons}); empty if none
 * @param ram                    the RAM section; never null
 * @param xbzrleCache            the xbzrle cache section; null unless QEMU reported it
 */
public record MigrationStats(
        MigrationStatus status,
        long totalTimeMs,
        long setupTimeMs,
        long expectedDowntimeMs,
        long downtimeMs,
        int cpuThrottlePercentage,
        String errorDesc,
        List<String> blockedReasons,
        MigrationRamStats ram,
        XbzrleCacheStats xbzrleCache) {
    public MigrationStats {
        blockedReasons = List.copyOf(blockedReasons);
        if (ram == null) {
            ram = MigrationRamStats.NONE;
        }
    }
}
