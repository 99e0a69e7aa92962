package io.jvirt.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs a host tool the ITs need (qemu-img, certtool) to its end; a failure throws with what the tool printed. */
final class HostCommand {
    private HostCommand() {}

    /** Runs {@code argv} in the current directory. */
    static void run(String... argv) throws IOException, InterruptedException {
        run(null, argv);
    }

    /** Runs {@code argv} in {@code dir} (null: the current directory). */
    static void run(Path dir, String... argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(argv)).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + out);
        }
    }
}
