package io.jvirt.it;

import io.jvirt.api.Connection;
import io.jvirt.api.Connections;
import io.jvirt.api.VirtException;
import io.jvirt.driver.process.ProcessInspector;
import io.jvirt.driver.root.HostRoot;
import io.jvirt.driver.security.DomainLabels;
import io.jvirt.guest.GuestBuilder;
import io.jvirt.guest.GuestHost;
import io.jvirt.guest.GuestImage;
import io.jvirt.guest.GuestXml;
import io.jvirt.guest.HostDirs;
import io.jvirt.guest.SerialLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One jvirt host for an integration test: a root directory of its own, reached as {@code qemu:///embed?root=DIR}.
 * Closing it ends every QEMU this host started (found through its status files, by pid, and only if that pid
 * still runs QEMU with this root's monitor socket) and deletes the root.
 */
final class TestHost implements AutoCloseable {
    private static final Pattern PID = Pattern.compile("pid='(\\d+)'");
    private static GuestImage image;

    private final Path root;

    TestHost(String name) throws IOException {
        this.root = HostDirs.temp("jvirt-it-" + name + "-");
    }

    /** The test guest's kernel and initrd, built once per JVM (cached on disk across runs). */
    static synchronized GuestImage guestImage() {
        if (image == null) {
            long t0 = System.nanoTime();
            image = GuestBuilder.ensureBuilt();
            System.out.printf("[it] test guest ready in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        }
        return image;
    }

    Path root() {
        return root;
    }

    String uri() {
        return "qemu:///embed?root=" + root;
    }

    Connection open() {
        return Connections.open(uri());
    }

    Path serialFile(String guest) {
        return root.resolve(guest + ".serial.log");
    }

    SerialLog serial(String guest) {
        return new SerialLog(serialFile(guest));
    }

    /**
     * A small test guest (256 MiB, 64 MiB filled) writing its console to this host's root. It spends 60 % of its
     * time re-checking its fill area (the guest's default is 25 %): GuestIntegrity waits for two whole sweeps after
     * every operation, which at 25 % took 9-10 s for a 384 MiB fill under TCG here.
     */
    GuestXml guest(String name) {
        return GuestXml.named(name)
                .memoryMiB(256)
                .fillMiB(64)
                .seed(7)
                .sweepPercent(60)
                .serialFile(serialFile(name))
                .image(guestImage());
    }

    Path statusFile(String guest) {
        return root.resolve("run/qemu/" + guest + ".xml");
    }

    /** The pid recorded in {@code guest}'s status file. */
    long recordedPid(String guest) throws IOException {
        Matcher m = PID.matcher(Files.readString(statusFile(guest)));
        if (!m.find()) {
            throw new IllegalStateException("no pid in " + statusFile(guest));
        }
        return Long.parseLong(m.group(1));
    }

    static final Duration BOOT = Duration.ofSeconds(90);
    /** How long a QEMU that is on its way out may take before it counts as left behind. */
    static final Duration STRAY = Duration.ofSeconds(60);

    /** This host as {@link io.jvirt.guest.GuestIntegrity} looks at it, through {@code conn} (the test's connection to it). */
    GuestHost guestHost(String label, Connection conn) {
        return new GuestHost(label, conn, root);
    }

    /**
     * Fails unless every QEMU that names this root runs a domain {@code conn} reports active, by the pid in that
     * domain's status file: a QEMU jvirt left behind (a migrated guest's old QEMU, a half-arrived one, one whose
     * domain is shut off) is an error, not something for {@link #close()} to reap quietly. Waits up to
     * {@link #STRAY} for QEMUs that are on their way out.
     */
    void assertNoStrayQemu(Connection conn) throws IOException {
        long deadline = System.nanoTime() + STRAY.toNanos();
        List<String> strays = strays(conn);
        while (!strays.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100); // a process table has no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            strays = strays(conn);
        }
        if (!strays.isEmpty()) {
            throw new AssertionError(
                    "QEMU left behind under " + root + " after " + STRAY.toSeconds() + " s: " + strays);
        }
    }

    private List<String> strays(Connection conn) throws IOException {
        List<String> strays = new ArrayList<>();
        for (long pid : GuestHost.qemusUnder(root)) {
            String owner = null;
            Path run = root.resolve("run/qemu");
            if (Files.isDirectory(run)) {
                try (Stream<Path> files = Files.list(run)) {
                    for (Path f :
                            files.filter(p -> p.toString().endsWith(".xml")).toList()) {
                        Matcher m = PID.matcher(readOrEmpty(f));
                        if (m.find() && Long.parseLong(m.group(1)) == pid) {
                            String file = f.getFileName().toString();
                            owner = file.substring(0, file.length() - ".xml".length());
                        }
                    }
                }
            }
            if (owner == null) {
                strays.add("pid " + pid + " (no status file names it; " + describe(pid) + ")");
                continue;
            }
            boolean active;
            try {
                active = conn.isActive(conn.lookupByName(owner));
            } catch (VirtException e) {
                active = false;
            }
            if (!active) {
                strays.add("pid " + pid + " (" + owner + ", which the host does not report active; " + describe(pid)
                        + ")");
            }
        }
        return strays;
    }

    /** What a stray QEMU is: its -name, whether it was started to receive a migration, when it started. */
    private static String describe(long pid) {
        List<String> args = ProcessInspector.commandLine(pid);
        int name = args.indexOf("-name");
        String guest = name >= 0 && name + 1 < args.size() ? args.get(name + 1) : "?";
        return "-name " + guest + (args.contains("-incoming") ? ", -incoming" : "") + ", started "
                + ProcessHandle.of(pid)
                        .flatMap(h -> h.info().startInstant())
                        .map(Object::toString)
                        .orElse("?");
    }

    private static String readOrEmpty(Path f) throws IOException {
        try {
            return Files.readString(f);
        } catch (java.nio.file.NoSuchFileException gone) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        for (long pid : startedQemus()) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroyForcibly();
                h.onExit()
                        .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                        .exceptionally(e -> h)
                        .join();
            });
        }
        // The files the QEMUs killed above held, so no owner record outlives the files deleted below.
        DomainLabels.giveBackAll(new HostRoot(root));
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Pids of QEMUs still running for this root: each must carry this root's monitor socket path in its argv. */
    private List<Long> startedQemus() throws IOException {
        List<Long> pids = new ArrayList<>();
        Path run = root.resolve("run/qemu");
        if (!Files.isDirectory(run)) {
            return pids;
        }
        try (Stream<Path> files = Files.list(run)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".xml")).toList()) {
                Matcher m = PID.matcher(Files.readString(f));
                if (m.find()) {
                    long pid = Long.parseLong(m.group(1));
                    String cmd = String.join(" ", ProcessInspector.commandLine(pid));
                    if (cmd.contains(run.toString())) {
                        pids.add(pid);
                    }
                }
            }
        }
        return pids;
    }
}
