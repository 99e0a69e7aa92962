package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.StateReason;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code virsh migrate --live --p2p --persistent} hop between two test daemons (or, {@link #clientManaged}, without
 * {@code --p2p}), checked as a user would.
 */
final class PeerHop {
    private PeerHop() {}

    /**
     * Migrates {@code name} from {@code from} to {@code to} (with {@code extra} options) and proves with
     * {@link GuestIntegrity} that it arrived whole: the source's QEMU gone, running (migrated) there, shut off
     * (migrated) here (the source keeps its definition), nothing of jvirt's left behind. Prints wall time and
     * throughput.
     */
    static void hop(
            String label, TwoDaemons hosts, VirshHost from, VirshHost to, String name, SerialLog log, String... extra)
            throws Exception {
        hopVia(label, hosts, from, to, to.uri(), name, log, extra);
    }

    /** As {@link #hop}, the source daemon reaching {@code to} by {@code toUri} (e.g. over qemu+ssh). */
    static void hopVia(
            String label,
            TwoDaemons hosts,
            VirshHost from,
            VirshHost to,
            String toUri,
            String name,
            SerialLog log,
            String... extra)
            throws Exception {
        move(label, hosts, from, to, toUri, true, name, log, extra);
    }

    /** As {@link #hopVia} without {@code --p2p}: virsh drives both daemons itself, reaching {@code to} by {@code toUri}. */
    static void clientManaged(
            String label,
            TwoDaemons hosts,
            VirshHost from,
            VirshHost to,
            String toUri,
            String name,
            SerialLog log,
            String... extra)
            throws Exception {
        move(label, hosts, from, to, toUri, false, name, log, extra);
    }

    private static void move(
            String label,
            TwoDaemons hosts,
            VirshHost from,
            VirshHost to,
            String toUri,
            boolean p2p,
            String name,
            SerialLog log,
            String... extra)
            throws Exception {
        GuestIntegrity whole = GuestIntegrity.before(log, name, from.guest());
        List<String> args = new ArrayList<>(List.of("migrate", "--live"));
        if (p2p) {
            args.add("--p2p");
        }
        args.add("--persistent");
        args.addAll(List.of(extra));
        args.add(name);
        args.add(toUri);
        long t0 = System.nanoTime();
        Virsh.Result r = from.virsh().run(args.toArray(String[]::new));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.exit()).as(label + ": " + r.all()).isZero();
        assertThat(to.virsh().run("domstate", "--reason", name).out().strip())
                .as(label)
                .isEqualTo("running (migrated)");
        assertThat(from.virsh().run("domstate", "--reason", name).out().strip())
                .as(label)
                .isEqualTo("shut off (migrated)");
        double mib = JobInfo.processedMiB(
                from.virsh().run("domjobinfo", "--completed", name).out());
        System.out.printf("[it] %s: %.2f s wall, %.0f MiB processed, %.1f MiB/s%n", label, seconds, mib, mib / seconds);
        whole.assertMovedTo(to.guest(), StateReason.RUNNING_MIGRATED).andOn(from.guest(), StateReason.SHUTOFF_MIGRATED);
        hosts.assertNothingStray();
    }
}
