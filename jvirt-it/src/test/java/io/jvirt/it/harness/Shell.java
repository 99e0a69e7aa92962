package io.jvirt.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system tools the harness needs ({@code ip}, {@code tc}) and waits for them, bounded. Runs on the
 * calling thread; output is read after the tool exits, which is fine for their few lines.
 */
final class Shell {
    private static final long TIMEOUT_S = 30;

    private Shell() {}

    /** Runs {@code command}; returns its stdout, or throws naming the command and its stderr when it fails. */
    static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        try {
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no exit in " + TIMEOUT_S + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + err.strip());
        }
        return out;
    }

    /** As {@link #run(List)}, for clean-up paths: a failure is reported on stderr, not thrown. */
    static void runQuietly(List<String> command) {
        try {
            run(command);
        } catch (IOException e) {
            System.err.println("[harness] clean-up: " + e.getMessage());
        }
    }
}
