package io.jvirt.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The stock {@code virsh} against one URI, as a user types it. Runs on the caller's thread ({@link #start} for a
 * call that runs on while the test acts); output goes through temp files so a long call never blocks on a pipe.
 */
public record Virsh(String uri) {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);

    /** What one call printed and returned. */
    public record Result(int exit, String out, String err) {
        public boolean ok() {
            return exit == 0;
        }
    }

    /** Runs {@code virsh -c URI ARGS…} to its end (bounded by 3 minutes). */
    public Result run(String... args) throws IOException {
        return start(args).await(DEFAULT_TIMEOUT);
    }

    /** Starts {@code virsh -c URI ARGS…} and returns at once. */
    public Running start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-q", "-c", uri));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("virsh-out", ".txt");
        Path err = Files.createTempFile("virsh-err", ".txt");
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        p.getOutputStream().close();
        return new Running(String.join(" ", cmd), p, out, err);
    }

    /** A virsh call in progress. */
    public record Running(String command, Process process, Path out, Path err) {
        /** Waits for the call's end; kills it and throws when it runs past {@code timeout}. */
        public Result await(Duration timeout) throws IOException {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                    throw new IOException(command + ": no exit in " + timeout);
                }
                return new Result(
                        process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException(command + ": interrupted", e);
            } finally {
                if (!process.isAlive()) {
                    Files.deleteIfExists(out);
                    Files.deleteIfExists(err);
                }
            }
        }

        /** The call's end as a future (for tests that wait on it with Awaitility or a timeout). */
        public CompletableFuture<Process> onExit() {
            return process.onExit();
        }
    }
}
