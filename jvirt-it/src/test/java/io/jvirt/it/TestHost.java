package io.jvirt.it;

import io.jvirt.api.Connection;
import io.jvirt.api.Connections;
import io.jvirt.driver.process.ProcessInspector;
import io.jvirt.guest.GuestBuilder;
import io.jvirt.guest.GuestImage;
import io.jvirt.guest.GuestXml;
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
        this.root = Files.createTempDirectory("jvirt-it-" + name + "-");
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

    /** A small test guest (256 MiB, 64 MiB filled) writing its console to this host's root. */
    GuestXml guest(String name) {
        return GuestXml.named(name).memoryMiB(256).fillMiB(64).seed(7).serialFile(serialFile(name)).image(guestImage());
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

    @Override
    public void close() throws IOException {
        for (long pid : startedQemus()) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroyForcibly();
                h.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> h).join();
            });
        }
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
