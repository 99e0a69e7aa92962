package io.jvirt.cli;

import io.jvirt.api.Connection;
import io.jvirt.api.Connections;
import io.jvirt.api.DomainRef;
import io.jvirt.api.ListFlags;
import io.jvirt.guest.GuestBuilder;
import io.jvirt.guest.GuestImage;
import io.jvirt.guest.GuestReady;
import io.jvirt.guest.GuestTick;
import io.jvirt.guest.GuestXml;
import io.jvirt.guest.SerialLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: jvirt end to end on this machine. Builds the test guest, starts it on an embedded host of its
 * own, shows it running (its ticks and memory check), pauses and resumes it, and shuts it down through the
 * ACPI power button. Every QEMU it starts is gone when it returns. Runs on the main thread.
 */
@Command(name = "demo", description = "start a test guest on a throwaway host, show it running, stop it")
public final class DemoCommand extends CliCommand {
    private static final Duration BOOT = Duration.ofSeconds(120);
    private static final String GUEST = "demo1";

    @Option(names = "--memory", paramLabel = "MiB", description = "guest memory (default 512)")
    private long memoryMiB = 512;

    @Option(names = "--fill", paramLabel = "MiB", description = "memory the guest fills with its pattern (default 384)")
    private long fillMiB = 384;

    @Option(names = "--dirty", paramLabel = "MiB/s", description = "rate at which the guest rewrites memory (default 50)")
    private long dirtyMibps = 50;

    @Option(names = "--keep", description = "keep the host's root directory afterwards")
    private boolean keep;

    @Override
    protected void run(CliContext context) {
        PrintWriter out = context.out();
        Path root;
        try {
            root = Files.createTempDirectory("jvirt-demo-");
        } catch (IOException e) {
            throw new CliError("cannot create a directory for the demo host: " + e.getMessage());
        }
        String uri = "qemu:///embed?root=" + root;
        out.printf("jvirt demo: one host at %s%n%n", uri);
        try (Connection conn = Connections.open(uri)) {
            try {
                walkThrough(conn, root, out);
            } finally {
                // Whatever failed, the demo's QEMU must not outlive it.
                conn.listAllDomains(ListFlags.ACTIVE).forEach(d -> conn.destroy(d, 0));
            }
        } finally {
            if (!keep) {
                deleteTree(root);
            } else {
                out.printf("kept %s%n", root);
            }
        }
    }

    private void walkThrough(Connection conn, Path root, PrintWriter out) {
        long t0 = System.nanoTime();
        step(out, 1, "building the test guest (Debian kernel + busybox + jvirt-guest workload; cached after the first run)");
        GuestImage image = GuestBuilder.ensureBuilt();
        out.printf("      kernel %s%n      initrd %s  (%s)%n", image.kernel(), image.initrd(), since(t0));

        Path serial = root.resolve(GUEST + ".serial.log");
        GuestXml guest = GuestXml.named(GUEST).memoryMiB(memoryMiB).fillMiB(fillMiB).dirtyMibps(dirtyMibps)
                .seed(42).serialFile(serial).image(image);
        step(out, 2, "defining '" + GUEST + "': " + memoryMiB + " MiB, " + fillMiB + " MiB filled with a seeded pattern, "
                + "rewritten at " + dirtyMibps + " MiB/s under TCG");
        DomainRef ref = conn.defineXml(guest.toXml());
        out.printf("      state: %s%n", VirshFormat.stateWithReason(conn.state(ref).reason()));

        step(out, 3, "starting it");
        long t1 = System.nanoTime();
        conn.create(ref, 0);
        ref = conn.lookupByName(GUEST);
        out.printf("      state: %s, id %d%n", VirshFormat.stateWithReason(conn.state(ref).reason()), ref.id());
        SerialLog log = new SerialLog(serial);
        GuestReady ready = log.awaitReady(BOOT);
        out.printf("      guest filled %d MiB (seed %d) and is checking it; %s after start%n", ready.fillMiB(), ready.seed(), since(t1));
        GuestTick tick = log.latest().orElseGet(() -> log.awaitTickAfter(-1, BOOT));
        for (int i = 0; i < 4; i++) {
            tick = log.awaitTickAfter(tick.tick(), BOOT);
            out.printf("      console: tick=%d uptime_ms=%d dirty_mibps=%d pattern=%s%n", tick.tick(), tick.uptimeMs(),
                    tick.dirtyMibps(), tick.patternOk() ? "ok" : "BAD@0x" + Long.toHexString(tick.badOffset()));
            out.flush();
        }

        step(out, 4, "pausing and resuming its vCPUs");
        conn.suspend(ref);
        long frozen = log.latest().orElseThrow().tick();
        out.printf("      state: %s; last tick %d%n", VirshFormat.stateWithReason(conn.state(ref).reason()), frozen);
        conn.resume(ref);
        GuestTick after = log.awaitTickAfter(frozen, BOOT);
        out.printf("      state: %s; next tick %d, pattern %s%n", VirshFormat.stateWithReason(conn.state(ref).reason()),
                after.tick(), after.patternOk() ? "ok" : "BAD");

        step(out, 5, "shutting it down through the ACPI power button");
        long t2 = System.nanoTime();
        conn.shutdown(ref, 0);
        var end = conn.awaitShutoff(ref, 120_000);
        out.printf("      state: %s after %s%n", VirshFormat.stateWithReason(end.reason()), since(t2));
        out.printf("%ndemo done in %s%n", since(t0));
    }

    private static void step(PrintWriter out, int n, String what) {
        out.printf("[%d/5] %s%n", n, what);
        out.flush();
    }

    private static String since(long startNanos) {
        return String.format("%.2f s", (System.nanoTime() - startNanos) / 1e9);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
