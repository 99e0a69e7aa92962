package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code jvirt} CLI as a user runs it: the built jar in a JVM of its own, against one test host. Runs on the
 * test's thread and waits for the command to end.
 */
final class JvirtJar {
    static final Path JAR =
            Path.of("..", "jvirt-cli", "target", "jvirt.jar").toAbsolutePath().normalize();
    private static final long TIMEOUT_SECONDS = 180;

    /** What a command printed and how it exited. */
    record Result(int exit, String out, String err) {}

    private JvirtJar() {}

    /** Runs {@code jvirt -c HOST-URI ARGS…}; fails the test if it has not ended within three minutes. */
    static Result run(TestHost host, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString(),
                "-c",
                host.uri()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("jvirt-out", ".txt");
        Path err = Files.createTempFile("jvirt-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            assertThat(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    .as("jvirt %s finished", List.of(args))
                    .isTrue();
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
