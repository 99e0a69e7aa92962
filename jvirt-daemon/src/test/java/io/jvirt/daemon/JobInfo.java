package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
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

    /**
     * Waits (up to a minute) until {@code name}'s migration out of {@code host} has moved more than 8 MiB, so that a
     * test acts on a transfer that really runs.
     */
    static void awaitMoving(VirshHost host, String name) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> assertThat(processedMiB(
                                host.virsh().run("domjobinfo", name).out()))
                        .isGreaterThan(8));
    }

    /** "Memory bandwidth" in MiB/s, or {@link Double#MAX_VALUE} when absent. */
    static double bandwidthMiB(String jobinfo) {
        return mib(jobinfo, "Memory bandwidth").orElse(Double.MAX_VALUE);
    }
}
