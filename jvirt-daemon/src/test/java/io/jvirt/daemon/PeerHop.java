package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.guest.GuestTick;
import io.jvirt.guest.SerialLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One {@code virsh migrate --live --p2p --persistent} hop between two test daemons, checked as a user would. */
final class PeerHop {
    private PeerHop() {
    }

    /**
     * Migrates {@code name} from {@code from} to {@code toUri} (with {@code extra} options) and asserts the states on
     * both sides and that the guest arrived whole and ticks on; prints wall time and throughput.
     */
    static void hop(String label, Virsh from, Virsh to, String toUri, String name, SerialLog log, String... extra)
            throws Exception {
        GuestTick before = log.latest().orElseThrow();
        List<String> args = new ArrayList<>(List.of("migrate", "--live", "--p2p", "--persistent"));
        args.addAll(List.of(extra));
        args.add(name);
        args.add(toUri);
        long t0 = System.nanoTime();
        Virsh.Result r = from.run(args.toArray(String[]::new));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.exit()).as(label + ": " + r.all()).isZero();
        assertThat(to.run("domstate", "--reason", name).out().strip()).as(label).isEqualTo("running (migrated)");
        assertThat(from.run("domstate", "--reason", name).out().strip()).as(label).isEqualTo("shut off (migrated)");
        GuestTick after = log.awaitTickAfter(before.tick() + 2, Duration.ofSeconds(60));
        assertThat(after.uptimeMs()).as("uptime goes on").isGreaterThan(before.uptimeMs());
        assertThat(log.ticks()).allMatch(GuestTick::patternOk);
        assertThat(log.boots()).isEqualTo(1);
        double mib = JobInfo.processedMiB(from.run("domjobinfo", "--completed", name).out());
        System.out.printf("[it] %s: %.2f s wall, %.0f MiB processed, %.1f MiB/s%n", label, seconds, mib,
                mib / seconds);
    }
}
