package io.jvirt.cli.job;

import static io.jvirt.cli.command.VirshFormat.capacity;

import io.jvirt.api.JobInfo;
import io.jvirt.api.JobType;
import io.jvirt.api.TypedParam;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code domjobinfo}'s report as virsh 11.3 prints it: labels in 17 columns, counts left-aligned in 12 (13 for the
 * compression counters), sizes through {@code vshPrettyCapacity}, each optional line only when its statistic is
 * present. The sizes and times come from a {@link JobInfo}, which virsh fills from the statistics when it has
 * them; the rest only from the statistics. Pure; any thread.
 */
public final class JobReport {
    /** The pseudo-statistic through which {@code Connection#jobStats} returns the job's type. */
    public static final String TYPE = "type";

    private static final List<String> TYPES =
            List.of("None", "Bounded", "Unbounded", "Completed", "Failed", "Cancelled");
    private static final List<String> OPERATIONS = List.of(
            "Unknown",
            "Start",
            "Save",
            "Restore",
            "Incoming migration",
            "Outgoing migration",
            "Snapshot",
            "Snapshot revert",
            "Dump",
            "Backup",
            "Snapshot delete");

    private final List<TypedParam> stats;
    private final StringBuilder out = new StringBuilder();

    private JobReport(List<TypedParam> stats) {
        this.stats = stats;
    }

    /** The job's type as the pseudo-statistic {@value #TYPE} gives it; NONE when absent. */
    public static JobType type(List<TypedParam> stats) {
        return TypedParam.find(stats, TYPE)
                .map(v -> JobType.fromWire(((Number) v).intValue()))
                .orElse(JobType.NONE);
    }

    /** The sizes and times of {@code stats} in a {@link JobInfo}, as virsh converts them. */
    public static JobInfo info(List<TypedParam> stats) {
        JobReport r = new JobReport(stats);
        return new JobInfo(
                type(stats),
                r.number("time_elapsed").orElse(0L),
                r.number("time_remaining").orElse(0L),
                r.number("data_total").orElse(0L),
                r.number("data_processed").orElse(0L),
                r.number("data_remaining").orElse(0L),
                r.number("memory_total").orElse(0L),
                r.number("memory_processed").orElse(0L),
                r.number("memory_remaining").orElse(0L),
                r.number("disk_total").orElse(0L),
                r.number("disk_processed").orElse(0L),
                r.number("disk_remaining").orElse(0L));
    }

    /**
     * The report for a job.
     *
     * @param stats     the statistics, empty when only {@code jobInfo} was available
     * @param anyStats  {@code --anystats}: the details even of a job that is neither running nor, with
     *                  {@code completed}, completed
     * @param completed {@code --completed} was asked for
     */
    public static String render(JobInfo info, List<TypedParam> stats, boolean anyStats, boolean completed) {
        return new JobReport(stats).report(info, anyStats, completed);
    }

    /** {@code --rawstats}: the type's number, an empty line, then every statistic as {@code field: value}. */
    public static String raw(JobType type, List<TypedParam> stats) {
        StringBuilder out = new StringBuilder("Job type: " + type.wire() + "\n\n");
        for (TypedParam p : stats) {
            if (!p.field().equals(TYPE)) {
                out.append(p.field()).append(": ").append(TypedParamText.of(p)).append('\n');
            }
        }
        return out.toString();
    }

    private String report(JobInfo info, boolean anyStats, boolean completed) {
        JobType type = info.type();
        line("Job type:", pad(name(TYPES, type.wire(), "unknown"), 12));
        integer("operation").ifPresent(op -> line("Operation:", pad(name(OPERATIONS, op, "unknown"), 12)));
        boolean running = type == JobType.BOUNDED || type == JobType.UNBOUNDED;
        if (!anyStats && !running && !(completed && type == JobType.COMPLETED)) {
            return out.toString();
        }
        millis("Time elapsed:", info.timeElapsedMs());
        number("time_elapsed_net").ifPresent(v -> millis("Time elapsed w/o network:", v));
        if (type == JobType.BOUNDED) {
            millis("Time remaining:", info.timeRemainingMs());
        }
        if (info.dataTotal() != 0 || info.dataRemaining() != 0 || info.dataProcessed() != 0) {
            line("Data processed:", capacity(info.dataProcessed()));
            line("Data remaining:", capacity(info.dataRemaining()));
            line("Data total:", capacity(info.dataTotal()));
        }
        if (info.memTotal() != 0 || info.memRemaining() != 0 || info.memProcessed() != 0) {
            line("Memory processed:", capacity(info.memProcessed()));
            line("Memory remaining:", capacity(info.memRemaining()));
            line("Memory total:", capacity(info.memTotal()));
            number("memory_bps").filter(v -> v != 0).ifPresent(v -> line("Memory bandwidth:", capacity(v) + "/s"));
            number("memory_dirty_rate").ifPresent(v -> line("Dirty rate:", count(v, 12) + " pages/s"));
            number("memory_page_size").ifPresent(v -> line("Page size:", count(v, 12) + " bytes"));
            number("memory_iteration").ifPresent(v -> line("Iteration:", count(v, 12)));
            number("memory_postcopy_requests").ifPresent(v -> line("Postcopy requests:", count(v, 12)));
        }
        if (info.fileTotal() != 0 || info.fileRemaining() != 0 || info.fileProcessed() != 0) {
            line("File processed:", capacity(info.fileProcessed()));
            line("File remaining:", capacity(info.fileRemaining()));
            line("File total:", capacity(info.fileTotal()));
            number("disk_bps").filter(v -> v != 0).ifPresent(v -> line("File bandwidth:", capacity(v) + "/s"));
        }
        number("memory_constant").ifPresent(v -> line("Constant pages:", count(v, 12)));
        number("memory_normal").ifPresent(v -> line("Normal pages:", count(v, 12)));
        number("memory_normal_bytes").ifPresent(v -> line("Normal data:", capacity(v)));
        number("downtime")
                .ifPresent(v -> millis(type == JobType.COMPLETED ? "Total downtime:" : "Expected downtime:", v));
        number("downtime_net").ifPresent(v -> millis("Downtime w/o network:", v));
        number("setup_time").ifPresent(v -> millis("Setup time:", v));
        number("compression_cache").ifPresent(v -> line("Compression cache:", capacity(v)));
        number("compression_bytes").ifPresent(v -> line("Compressed data:", capacity(v)));
        number("compression_pages").ifPresent(v -> line("Compressed pages:", count(v, 13)));
        number("compression_cache_misses").ifPresent(v -> line("Compression cache misses:", count(v, 13)));
        number("compression_overflow").ifPresent(v -> line("Compression overflows:", count(v, 13)));
        integer("auto_converge_throttle").ifPresent(v -> line("Auto converge throttle:", pad(Integer.toString(v), 13)));
        number("disk_temp_used").ifPresent(v -> line("Temporary disk space use:", capacity(v)));
        number("disk_temp_total").ifPresent(v -> line("Temporary disk space total:", capacity(v)));
        TypedParam.find(stats, "errmsg").ifPresent(v -> line("Error message:", v));
        return out.toString();
    }

    private void line(String label, Object value) {
        out.append(String.format(Locale.ROOT, "%-17s %s", label, value)).append('\n');
    }

    private void millis(String label, long value) {
        line(label, count(value, 12) + " ms");
    }

    private static String count(long unsigned, int width) {
        return pad(Long.toUnsignedString(unsigned), width);
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    private static String name(List<String> names, int wire, String otherwise) {
        return wire >= 0 && wire < names.size() ? names.get(wire) : otherwise;
    }

    private Optional<Long> number(String field) {
        return TypedParam.find(stats, field).map(v -> ((Number) v).longValue());
    }

    private Optional<Integer> integer(String field) {
        return TypedParam.find(stats, field).map(v -> ((Number) v).intValue());
    }
}
