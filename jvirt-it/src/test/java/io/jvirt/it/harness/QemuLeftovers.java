package io.jvirt.it.harness;

import io.jvirt.driver.root.HostRoot;
import io.jvirt.driver.security.DomainLabels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Ends the QEMUs a stopped daemon left running (jvirtd keeps its guests across a SIGTERM) and deletes its root.
 * A QEMU is found by the pid in the root's {@code run/qemu/*.xml} status files and ended only if that pid still
 * runs a command line naming this root, so a recycled pid is never hit.
 */
final class QemuLeftovers {
    private static final Pattern PID = Pattern.compile("pid='(\\d+)'");

    private QemuLeftovers() {}

    /** Pids of QEMUs recorded under {@code root} that are still alive and still belong to it. */
    static List<Long> alive(Path root) throws IOException {
        Path dir = root.resolve("run/qemu");
        List<Long> pids = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return pids;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".xml")).toList()) {
                Matcher m = PID.matcher(Files.readString(f));
                if (m.find() && ownedBy(Long.parseLong(m.group(1)), root)) {
                    pids.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return pids;
    }

    /**
     * SIGTERM to each of this root's QEMUs, SIGKILL after 10 s, waiting until each is gone; then the files they
     * held go back to their owners, as their stop would have given them.
     */
    static void kill(Path root) throws IOException {
        for (long pid : alive(root)) {
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isEmpty()) {
                continue;
            }
            h.get().destroy();
            try {
                h.get().onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.get().destroyForcibly();
                h.get().onExit().join();
            }
        }
        DomainLabels.giveBackAll(new HostRoot(root));
    }

    /** Deletes {@code dir} and everything in it; a missing directory is fine. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static boolean ownedBy(long pid, Path root) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).contains(root.toString());
        } catch (IOException gone) {
            return false;
        }
    }
}
