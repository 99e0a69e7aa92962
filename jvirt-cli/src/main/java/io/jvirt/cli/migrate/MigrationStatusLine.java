package io.jvirt.cli.migrate;

import static io.jvirt.cli.command.VirshFormat.capacity;

import io.jvirt.api.TypedParam;
import io.jvirt.cli.job.JobProgress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The text of {@code migrate --verbose}: virsh's {@code Migration: [ 42.00 %]} followed by what jvirt adds (sent,
 * left, link rate, dirty rate, pass, ETA), the note shown when the guest dirties memory faster than the link
 * carries it, and the closing summary of the completed job. Pure; any thread.
 */
public final class MigrationStatusLine {
    /** The label virsh prints before the percentage. */
    public static final String LABEL = "Migration";

    private MigrationStatusLine() {}

    /**
     * One progress update, without the leading carriage return: {@code "Migration: [ 42.00 %] sent 430.000 MiB,
     * left 594.000 MiB, link 100.0 MiB/s, dirtying 12.5 MiB/s, pass 2, ETA 7s"}.
     */
    public static String progress(MigrationSample s) {
        StringBuilder line = new StringBuilder(
                JobProgress.line(LABEL, s.dataRemaining(), s.dataTotal()).substring(1));
        line.append(" sent ")
                .append(capacity(s.dataProcessed()))
                .append(", left ")
                .append(capacity(s.dataRemaining()));
        if (s.bytesPerSecond() > 0) {
            line.append(", link ").append(rate((double) s.bytesPerSecond()));
        }
        if (s.dirtyPagesPerSecond() > 0) {
            line.append(", dirtying ").append(rate((double) s.dirtyBytesPerSecond()));
        }
        if (s.iteration() > 0) {
            line.append(", pass ").append(s.iteration());
        }
        if (s.notConverging()) {
            line.append(", not converging");
        } else if (s.etaSeconds() >= 0) {
            line.append(", ETA ").append(duration(s.etaSeconds()));
        }
        return line.toString();
    }

    /** The note for a sample that is not converging, on a line of its own. */
    public static String notConvergingNote(MigrationSample s) {
        return "not converging: guest dirties " + rate((double) s.dirtyBytesPerSecond()) + ", link carries "
                + rate((double) s.bytesPerSecond()) + "; consider --auto-converge, --postcopy with migrate-postcopy, "
                + "a higher migrate-setspeed/migrate-setmaxdowntime, or suspending the guest (--timeout)";
    }

    /**
     * The closing line from the completed job's statistics ({@code COMPLETED}):
     * {@code "Migration completed in 12.345 s, downtime 45 ms, 1.000 GiB sent at 83.0 MiB/s"}; empty when the
     * statistics say nothing of time or data.
     */
    public static Optional<String> summary(List<TypedParam> completed) {
        Optional<Long> elapsed = number(completed, "time_elapsed");
        Optional<Long> data = number(completed, "data_processed").or(() -> number(completed, "memory_processed"));
        if (elapsed.isEmpty() && data.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder line = new StringBuilder(LABEL + " completed");
        elapsed.ifPresent(ms -> line.append(String.format(Locale.ROOT, " in %d.%03d s", ms / 1000, ms % 1000)));
        number(completed, "downtime")
                .ifPresent(ms -> line.append(", downtime ").append(ms).append(" ms"));
        data.ifPresent(bytes -> {
            line.append(", ").append(capacity(bytes)).append(" sent");
            elapsed.filter(ms -> ms > 0).ifPresent(ms -> line.append(" at ").append(rate(bytes * 1000.0 / ms)));
        });
        return Optional.of(line.toString());
    }

    /** A rate in MiB/s with one decimal. */
    static String rate(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f MiB/s", bytesPerSecond / (1024 * 1024));
    }

    /** "7s", "2m05s", "1h02m". */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds / 60 % 60);
    }

    private static Optional<Long> number(List<TypedParam> stats, String field) {
        return TypedParam.find(stats, field).map(v -> ((Number) v).longValue());
    }
}
