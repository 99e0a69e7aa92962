package io.jvirt.guest;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One heartbeat line of the test guest's serial console:
 * {@code jvirt-guest tick=<n> uptime_ms=<ms> dirty_mibps=<rate> pattern=ok|BAD@0x<offset>}, followed, when the
 * guest runs its disk workload, by {@code disk_writes=<n> disk_pass=<p> disk=ok|BAD@<sector>} (see
 * {@link DiskTick}). The guest prints one at least every 500 ms (every 250 ms when it keeps up).
 *
 * @param tick       counts up from 0 at each boot
 * @param uptimeMs   the guest's CLOCK_MONOTONIC in milliseconds
 * @param dirtyMibps the dirty rate the guest was configured with (not necessarily achieved)
 * @param patternOk  false once the guest has seen any byte of its fill area differ from what it wrote (sticky)
 * @param badOffset  the offset of the first mismatch in the fill area, or -1 when {@code patternOk}
 * @param disk       the disk workload's state, empty when the guest runs none
 */
public record GuestTick(
        long tick, long uptimeMs, long dirtyMibps, boolean patternOk, long badOffset, Optional<DiskTick> disk) {
    // Numbers are bounded so a corrupted line cannot overflow a long; the offset is hex, as the guest prints it,
    // the sector decimal.
    private static final Pattern LINE =
            Pattern.compile("jvirt-guest tick=(\\d{1,18}) uptime_ms=(\\d{1,18}) dirty_mibps=(\\d{1,18}) "
                    + "pattern=(?:(ok)|BAD@0x([0-9a-fA-F]{1,15}))"
                    + "(?: disk_writes=(\\d{1,18}) disk_pass=(\\d{1,18}) disk=(?:(ok)|BAD@(\\d{1,18})))?\\s*$");

    public GuestTick {
        if (patternOk != (badOffset < 0)) {
            throw new IllegalArgumentException("badOffset must be -1 exactly when the pattern is ok: " + badOffset);
        }
        Objects.requireNonNull(disk, "disk");
    }

    /** A tick of a guest without the disk workload. */
    public GuestTick(long tick, long uptimeMs, long dirtyMibps, boolean patternOk, long badOffset) {
        this(tick, uptimeMs, dirtyMibps, patternOk, badOffset, Optional.empty());
    }

    /**
     * The tick in {@code line}, which may carry junk before it (escape sequences, a kernel message that lacked
     * its newline) but must end with the tick. Empty for any other line.
     */
    public static Optional<GuestTick> parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        boolean ok = m.group(4) != null;
        Optional<DiskTick> disk = Optional.empty();
        if (m.group(6) != null) {
            boolean diskOk = m.group(8) != null;
            disk = Optional.of(new DiskTick(
                    Long.parseLong(m.group(6)),
                    Long.parseLong(m.group(7)),
                    diskOk,
                    diskOk ? -1 : Long.parseLong(m.group(9))));
        }
        return Optional.of(new GuestTick(
                Long.parseLong(m.group(1)),
                Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)),
                ok,
                ok ? -1 : Long.parseLong(m.group(5), 16),
                disk));
    }
}
