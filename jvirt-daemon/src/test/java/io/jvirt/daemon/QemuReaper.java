package io.jvirt.daemon;

import io.jvirt.driver.root.HostRoot;
import io.jvirt.driver.security.DomainLabels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Test cleanup: kills the QEMUs a driver root started that still run, found through the root's status files
 * ({@code run/qemu/*.xml}) and only when the pid's command line names that root. It is for what a failed test left:
 * a successful operation must leave nothing to reap, which {@link TwoDaemons#assertNothingStray()} proves.
 */
final class QemuReaper {
    private static final Pattern PID = Pattern.compile("pid='(\\d+)'");

    private QemuReaper() {}

    static void killLeftovers(Path root) throws IOException {
        Path run = root.resolve("run/qemu");
        if (!Files.isDirectory(run)) {
            return;
        }
        try (Stream<Path> files = Files.list(run)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".xml")).toList()) {
                Matcher m = PID.matcher(Files.readString(f));
                if (m.find()) {
                    kill(Long.parseLong(m.group(1)), root);
                }
            }
        }
        DomainLabels.giveBackAll(new HostRoot(root)); // the files those QEMUs held, as their stop would have
    }

    /** Deletes a directory tree. */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    private static void kill(long pid, Path root) throws IOException {
        Path cmdline = Path.of("/proc/" + pid + "/cmdline");
        if (Files.exists(cmdline) && new String(Files.readAllBytes(cmdline)).contains(root.toString())) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroyForcibly();
                h.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> h).join();
            });
        }
    }
}
