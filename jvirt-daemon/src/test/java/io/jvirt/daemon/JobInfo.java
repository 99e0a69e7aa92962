package io.jvirt.daemon;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads figures out of {@code virsh domjobinfo} output, as a user reading it would. */
final class JobInfo {
    private JobInfo() {}

    /** A size line such as {@code "Memory processed: 12.5 MiB"}, in MiB; empty when the line is absent. */
    static OptionalDouble mib(String jobinfo, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + ":\\s+([0-9.]+) (B|KiB|MiB|GiB)(/s)?\\b")
                .matcher(jobinfo);
        if (!m.find()) {
            return OptionalDouble.empty();
        }
        double v = Double.parseDouble(m.group(1));
        return OptionalDouble.of(
                switch (m.group(2)) {
                    case "B" -> v / (1024 * 1024);
                    case "KiB" -> v / 1024;
                    case "GiB" -> v * 1024;
                    default -> v;
                });
    }

    /** "Memory processed" in MiB, 0 when absent (no job, or not started yet). */
    static double processedMiB(String jobinfo) {
        return mib(jobinfo, "Memory processed").orElse(0);
    }

    /** "Memory bandwidth" in MiB/s, or {@link Double#MAX_VALUE} when absent. */
    static double bandwidthMiB(String jobinfo) {
        return mib(jobinfo, "Memory bandwidth").orElse(Double.MAX_VALUE);
    }
}
