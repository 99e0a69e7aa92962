package io.jvirt.cli;

import io.jvirt.api.Connection;
import io.jvirt.api.Connections;
import io.jvirt.api.DomainMigration;
import io.jvirt.api.DomainRef;
import io.jvirt.api.JobStatsFlags;
import io.jvirt.api.ListFlags;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.TypedParam;
import io.jvirt.cli.command.CliCommand;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import io.jvirt.cli.command.VirshFormat;
import io.jvirt.cli.migrate.MigrationStatusLine;
import io.jvirt.cli.migrate.MigrationWatch;
import io.jvirt.cli.migrate.Ticker;
import io.jvirt.cli.migrate.WatchSettings;
import io.jvirt.daemon.Daemon;
import io.jvirt.daemon.DaemonConfig;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: jvirt end to end on this machine. Starts two jvirtd hosts (in this process, each on its own root and
 * sockets), builds the test guest and starts it on the first through the remote client, migrates it live to the
 * second peer-to-peer and tunnelled and back peer-to-peer, with the progress display of {@code migrate --verbose},
 * shows from the guest's own heartbeat that it never stopped, and shuts it down through the ACPI power button. Every
 * QEMU it starts is gone when it returns. Runs on the main thread; each migration on a worker thread.
 */
@Command(
        name = "demo",
        description = "migrate a working test guest live (tunnelled) between two throwaway jvirtd hosts and back")
public final class DemoCommand extends CliCommand {
    private static final Duration BOOT = Duration.ofSeconds(120);
    private static final String GUEST = "demo1";

    @Option(names = "--memory", paramLabel = "MiB", description = "guest memory (default 512)")
    private long memoryMiB = 512;

    @Option(names = "--fill", paramLabel = "MiB", description = "memory the guest fills with its pattern (default 384)")
    private long fillMiB = 384;

    @Option(
            names = "--dirty",
            paramLabel = "MiB/s",
            description = "rate at which the guest rewrites memory (default 50)")
    private long dirtyMibps = 50;

    @Option(names = "--keep", description = "keep the host's root directory afterwards")
    private boolean keep;

    @Override
    protected void run(CliContext context) {
        PrintWriter out = context.out();
        Path base;
        try {
            // 0755, not mktemp's 0700: the hosts' QEMUs run as jvirt.conf's unprivileged user and must get in.
            base = Files.createTempDirectory(
                    "jvirt-demo-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new CliError("cannot create a directory for the demo hosts: " + e.getMessage());
        }
        out.printf("jvirt demo: two jvirtd hosts on this machine, each with its own root and host UUID (%s)%n", base);
        List<Daemon> daemons = new ArrayList<>();
        try {
            for (String host : List.of("host1", "host2")) {
                Daemon d = Daemon.start(DaemonConfig.forRoot(base.resolve(host), base.resolve(host + "/run")));
                d.awaitReady();
                daemons.add(d);
                out.printf(
                        "  %s: jvirtd ready at qemu+unix:///system?socket=%s (host UUID %s)%n",
                        host, d.rwSocket(), d.hostUuid());
            }
            out.println();
            String uriA = "qemu+unix:///system?socket=" + daemons.get(0).rwSocket();
            String uriB = "qemu+unix:///system?socket=" + daemons.get(1).rwSocket();
            try (Connection a = Connections.open(uriA);
                    Connection b = Connections.open(uriB)) {
                try {
                    walkThrough(a, b, uriA, uriB, base.resolve("host1"), out, context.err());
                } finally {
                    // Whatever failed, the demo's QEMUs must not outlive it.
                    for (Connection c : List.of(a, b)) {
                        c.listAllDomains(ListFlags.ACTIVE).forEach(d -> c.destroy(d, 0));
                    }
                }
            }
        } finally {
            daemons.forEach(Daemon::close);
            if (!keep) {
                deleteTree(base);
            } else {
                out.printf("kept %s%n", base);
            }
        }
    }

    private void walkThrough(
            Connection a, Connection b, String uriA, String uriB, Path rootA, PrintWriter out, PrintWriter err) {
        long t0 = System.nanoTime();
        step(
                out,
                1,
                "building the test guest (Debian kernel + busybox + jvirt-guest workload; cached after the first run)");
        GuestImage image = GuestBuilder.ensureBuilt();
        out.printf("      kernel %s%n      initrd %s  (%s)%n", image.kernel(), image.initrd(), since(t0));

        Path serial = rootA.resolve(GUEST + ".serial.log");
        GuestXml guest = GuestXml.named(GUEST)
                .memoryMiB(memoryMiB)
                .fillMiB(fillMiB)
                .dirtyMibps(dirtyMibps)
                .seed(42)
                .serialFile(serial)
                .image(image);
        step(
                out,
                2,
                "starting '" + GUEST + "' on host1: " + memoryMiB + " MiB, " + fillMiB + " MiB filled with a seeded "
                        + "pattern, rewritten at " + dirtyMibps + " MiB/s under TCG");
        DomainRef ref = a.defineXml(guest.toXml());
        long t1 = System.nanoTime();
        a.create(ref, 0);
        SerialLog log = new SerialLog(serial);
        GuestReady ready = log.awaitReady(BOOT);
        out.printf(
                "      %s; guest filled %d MiB (seed %d) and checks it; %s after start%n",
                VirshFormat.stateWithReason(a.state(a.lookupByName(GUEST)).reason()),
                ready.fillMiB(),
                ready.seed(),
                since(t1));
        GuestTick first = showTicks(log, out, 3);

        step(
                out,
                3,
                "live migration host1 -> host2, peer-to-peer and tunnelled: host1's daemon drives host2's and the "
                        + "guest's memory travels inside their connection, while the guest works");
        migrate(a, b, uriB, MigrateFlags.LIVE | MigrateFlags.PEER2PEER | MigrateFlags.TUNNELLED, err);
        showHosts(a, b, out);
        showTicks(log, out, 2);

        step(out, 4, "and back: host2 -> host1, peer-to-peer over QEMU's own connection");
        migrate(b, a, uriA, MigrateFlags.LIVE | MigrateFlags.PEER2PEER, err);
        showHosts(a, b, out);
        GuestTick last = showTicks(log, out, 2);

        step(out, 5, "did the guest ever stop?");
        long longestGap = 0;
        List<GuestTick> ticks = log.ticks();
        for (int i = 1; i < ticks.size(); i++) {
            longestGap = Math.max(
                    longestGap, ticks.get(i).uptimeMs() - ticks.get(i - 1).uptimeMs());
        }
        out.printf(
                "      one boot (%d), ticks %d..%d without a reset, guest uptime %.1f s -> %.1f s, memory pattern %s%n",
                log.boots(),
                first.tick(),
                last.tick(),
                first.uptimeMs() / 1e3,
                last.uptimeMs() / 1e3,
                last.patternOk() ? "intact" : "BROKEN at 0x" + Long.toHexString(last.badOffset()));
        out.printf(
                "      longest gap between two heartbeats in guest time: %d ms (it beats every 250-500 ms; QEMU's%n"
                        + "      clock stands still during the switch-over, whose length is the downtime reported above)%n",
                longestGap);

        step(out, 6, "shutting it down through the ACPI power button");
        long t2 = System.nanoTime();
        DomainRef home = a.lookupByName(GUEST);
        a.shutdown(home, 0);
        var end = a.awaitShutoff(home, 120_000);
        out.printf("      state: %s after %s%n", VirshFormat.stateWithReason(end.reason()), since(t2));
        out.printf("%ndemo done in %s%n", since(t0));
    }

    /** One live migration with the progress line {@code migrate --verbose} draws, then its statistics. */
    private static void migrate(Connection from, Connection to, String toUri, long flags, PrintWriter err) {
        DomainRef ref = from.lookupByName(GUEST);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread worker = Thread.ofPlatform().name("demo-migration").start(() -> {
            try {
                DomainMigration.migrateToUri(from, ref, toUri, List.of(), flags);
            } catch (RuntimeException e) {
                failure.set(e);
            } finally {
                done.countDown();
            }
        });
        MigrationWatch watch = new MigrationWatch(
                from, ref, new WatchSettings(true, 0, WatchSettings.TimeoutAction.SUSPEND, false), err, Ticker.SYSTEM);
        watch.watch(done);
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        // A transient guest is gone from the source; the destination keeps the same figures from the cookie.
        Connection keeper = describe(from).startsWith("(") ? to : from;
        List<TypedParam> stats =
                keeper.jobStats(keeper.lookupByName(GUEST), JobStatsFlags.COMPLETED | JobStatsFlags.KEEP_COMPLETED);
        watch.completed(MigrationStatusLine.summary(stats));
        err.println();
        err.flush();
    }

    private static void showHosts(Connection a, Connection b, PrintWriter out) {
        out.printf("      host1: %s   host2: %s%n", describe(a), describe(b));
    }

    private static String describe(Connection c) {
        try {
            return VirshFormat.stateWithReason(c.state(c.lookupByName(GUEST)).reason());
        } catch (io.jvirt.api.VirtException e) {
            return "(no such domain)";
        }
    }

    private static GuestTick showTicks(SerialLog log, PrintWriter out, int count) {
        GuestTick tick = log.latest().orElseGet(() -> log.awaitTickAfter(-1, BOOT));
        for (int i = 0; i < count; i++) {
            tick = log.awaitTickAfter(tick.tick(), BOOT);
            out.printf(
                    "      console: tick=%d uptime_ms=%d dirty_mibps=%d pattern=%s%n",
                    tick.tick(),
                    tick.uptimeMs(),
                    tick.dirtyMibps(),
                    tick.patternOk() ? "ok" : "BAD@0x" + Long.toHexString(tick.badOffset()));
            out.flush();
        }
        return tick;
    }

    private static void step(PrintWriter out, int n, String what) {
        out.printf("[%d/6] %s%n", n, what);
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
