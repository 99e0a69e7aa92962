package io.jvirt.cli.command;

import io.jvirt.api.DomainState;
import io.jvirt.api.StateReason;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How virsh 11.3 renders things, in one place: state and reason names (its display strings differ from the
 * status-file names in {@link DomainState#xmlName()}), the {@code Label:  value} lines of {@code dominfo},
 * versions, CPU time and its column tables. Pure functions; any thread.
 */
public final class VirshFormat {
    // Indexed by the reason's number within its state, as virsh's per-state tables are.
    private static final Map<DomainState, List<String>> REASONS = new EnumMap<>(DomainState.class);

    static {
        REASONS.put(DomainState.NOSTATE, List.of("unknown"));
        REASONS.put(
                DomainState.RUNNING,
                List.of(
                        "unknown",
                        "booted",
                        "migrated",
                        "restored",
                        "from snapshot",
                        "unpaused",
                        "migration canceled",
                        "save canceled",
                        "event wakeup",
                        "crashed",
                        "post-copy",
                        "post-copy failed"));
        REASONS.put(DomainState.BLOCKED, List.of("unknown"));
        REASONS.put(
                DomainState.PAUSED,
                List.of(
                        "unknown",
                        "user",
                        "migrating",
                        "saving",
                        "dumping",
                        "I/O error",
                        "watchdog",
                        "from snapshot",
                        "shutting down",
                        "creating snapshot",
                        "crashed",
                        "starting up",
                        "post-copy",
                        "post-copy failed",
                        "api error"));
        REASONS.put(DomainState.SHUTDOWN, List.of("unknown", "user"));
        REASONS.put(
                DomainState.SHUTOFF,
                List.of(
                        "unknown",
                        "shutdown",
                        "destroyed",
                        "crashed",
                        "migrated",
                        "saved",
                        "failed",
                        "from snapshot",
                        "daemon"));
        REASONS.put(DomainState.CRASHED, List.of("unknown", "panicked"));
        REASONS.put(DomainState.PMSUSPENDED, List.of("unknown"));
    }

    private static final int LABEL_WIDTH = 15;
    private static final List<String> CAPACITY_UNITS = List.of("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB");

    private VirshFormat() {}

    /** The state as virsh shows it: {@code running}, {@code idle}, {@code in shutdown}, {@code shut off}, … */
    public static String state(DomainState state) {
        return switch (state) {
            case NOSTATE -> "no state";
            case RUNNING -> "running";
            case BLOCKED -> "idle";
            case PAUSED -> "paused";
            case SHUTDOWN -> "in shutdown";
            case SHUTOFF -> "shut off";
            case CRASHED -> "crashed";
            case PMSUSPENDED -> "pmsuspended";
        };
    }

    /** The reason as virsh shows it ({@code paused/migration} is "migrating"); "unknown" when it has none. */
    public static String reason(StateReason reason) {
        List<String> names = REASONS.get(reason.state());
        int wire = reason.wire();
        return wire >= 0 && wire < names.size() ? names.get(wire) : "unknown";
    }

    /** {@code domstate --reason}: "running (booted)". */
    public static String stateWithReason(StateReason reason) {
        return state(reason.state()) + " (" + reason(reason) + ")";
    }

    /** One {@code dominfo} line: the label left-aligned in 15 columns, a space, the value. */
    public static String field(String label, Object value) {
        return String.format(Locale.ROOT, "%-" + LABEL_WIDTH + "s %s", label, value);
    }

    /**
     * A byte count as virsh's {@code vshPrettyCapacity} and {@code "%-.3lf %s"} print it: divided by the largest
     * power of 1024 not above it, three decimals, binary unit ("12.345 MiB", "512.000 B").
     */
    public static String capacity(long bytes) {
        BigDecimal value = new BigDecimal(Long.toUnsignedString(bytes));
        BigDecimal step = BigDecimal.valueOf(1024);
        int unit = 0;
        while (unit < CAPACITY_UNITS.size() - 1 && value.compareTo(step.pow(unit + 1)) >= 0) {
            unit++;
        }
        // virsh divides in double and rounds the binary value half-even, as glibc's printf does.
        double scaled = value.doubleValue() / Math.pow(1024, unit);
        return new BigDecimal(scaled).setScale(3, RoundingMode.HALF_EVEN).toPlainString() + " "
                + CAPACITY_UNITS.get(unit);
    }

    /** CPU time in seconds with one decimal, as {@code dominfo} prints it ("12.3s"). */
    public static String cpuTime(long nanos) {
        return String.format(Locale.ROOT, "%.1fs", nanos / 1_000_000_000.0);
    }

    /** A version encoded as major * 1,000,000 + minor * 1,000 + micro, written "major.minor.micro". */
    public static String version(long encoded) {
        return (encoded / 1_000_000) + "." + (encoded / 1_000 % 1_000) + "." + (encoded % 1_000);
    }

    /**
     * A table as virsh's {@code vshTable} lays it out: every cell is preceded by one space and padded to its
     * column's widest cell plus two, except in the last column; the header is followed by a line of dashes
     * as long as the widths plus three per column. Control characters are shown as {@code \xNN}.
     *
     * @return the table, every line ending in a newline
     */
    public static String table(List<String> header, List<List<String>> rows, boolean withHeader) {
        List<List<String>> all = new ArrayList<>();
        all.add(header.stream().map(VirshFormat::escape).toList());
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("row has " + row.size() + " cells, header " + header.size());
            }
            all.add(row.stream().map(VirshFormat::escape).toList());
        }
        int[] widths = new int[header.size()];
        for (List<String> row : withHeader ? all : all.subList(1, all.size())) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], width(row.get(i)));
            }
        }
        StringBuilder out = new StringBuilder();
        if (withHeader) {
            appendRow(out, all.getFirst(), widths);
            for (int w : widths) {
                out.repeat('-', w + 3);
            }
            out.append('\n');
        }
        for (List<String> row : all.subList(1, all.size())) {
            appendRow(out, row, widths);
        }
        return out.toString();
    }

    private static void appendRow(StringBuilder out, List<String> row, int[] widths) {
        for (int i = 0; i < row.size(); i++) {
            String cell = row.get(i);
            out.append(' ').append(cell);
            if (i < row.size() - 1) {
                out.repeat(' ', widths[i] - width(cell) + 2);
            }
        }
        out.append('\n');
    }

    private static int width(String cell) {
        return cell.codePointCount(0, cell.length());
    }

    // Control characters have no printable width; virsh writes them (and a literal "\x") as hex escapes.
    private static String escape(String cell) {
        StringBuilder out = new StringBuilder(cell.length());
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            boolean literalEscape = c == '\\' && i + 1 < cell.length() && cell.charAt(i + 1) == 'x';
            if (c < 0x20 || c == 0x7f || literalEscape) {
                out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
