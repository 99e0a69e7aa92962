package io.jvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jvirt.api.StateReason;
import io.jvirt.cli.migrate.MigrateEnvironment;
import io.jvirt.cli.migrate.Ticker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The migration commands against libvirt's test driver, which implements none of the migration calls: what both
 * print for the usage errors they check themselves and for the driver's refusal, byte for byte on stdout and stderr.
 * Only checks virsh makes before it starts its migration thread are compared; its watcher can hang on the test
 * driver when that thread fails. Skipped where virsh is not installed.
 */
class MigrateVirshParityTest {
    private static final Path VIRSH = Path.of("/usr/bin/virsh");
    private final FakeConnection connection = new FakeConnection();

    @BeforeAll
    static void virshInstalled() {
        assumeTrue(Files.isExecutable(VIRSH), "virsh is not installed");
    }

    @BeforeEach
    void likeTheTestDriver() {
        FakeConnection.Domain test =
                connection.addRunning("test", UUID.fromString("6695eb01-f6a4-8304-79aa-97f2502e193f"), 1);
        test.reason = StateReason.RUNNING_UNKNOWN;
        connection.migrationApis = false;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "migrate-getspeed test", "migrate-getspeed test --postcopy", "migrate-setspeed test 5 --postcopy",
                "migrate-setspeed test -1", "migrate-setspeed test abc", "migrate-setspeed test",
                "migrate-setspeed nope abc", "migrate-setspeed test 18446744073709551616",
                        "migrate-setmaxdowntime test 0",
                "migrate-setmaxdowntime test -1", "migrate-setmaxdowntime test abc", "migrate-setmaxdowntime test 5",
                "migrate-setmaxdowntime test", "migrate-getmaxdowntime test", "migrate-postcopy test",
                "migrate-postcopy nope", "migrate-getspeed test x", "domjobabort test --postcopy"
            })
    void tuningCommandsPrintAsVirsh(String command) throws Exception {
        compare(command);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "migrate test",
                "migrate",
                "migrate test uri --live --offline",
                "migrate nope uri",
                "migrate test uri --timeout-suspend",
                "migrate test uri --timeout 5",
                "migrate test uri --live --timeout abc",
                "migrate test uri --live --timeout -3",
                "migrate test uri --live --timeout 4294967296",
                "migrate test uri a b c d abc",
                "migrate test uri a b c d 5",
                "migrate test uri --postcopy-after-precopy",
                "migrate test uri --timeout-postcopy --timeout 3 --live",
                "migrate test uri --copy-storage-all --copy-storage-inc",
                "migrate test uri --persistent-xml f",
                "migrate test uri --tls-destination t",
                "migrate test uri --postcopy-resume",
                "migrate test uri --timeout-suspend --timeout-postcopy",
                "migrate --domain test --desturi uri --p2p a b c d 7 /nonexistent",
                "migrate test uri a b c d e f g h i"
            })
    void migrateChecksPrintAsVirsh(String command) throws Exception {
        compare(command);
    }

    private void compare(String command) throws Exception {
        String[] args = command.split(" ");
        MigrateEnvironment env = new MigrateEnvironment(
                uri -> {
                    throw new AssertionError("no destination is opened for " + command);
                },
                Ticker.SYSTEM);

        CliRun run = ScopedValue.where(MigrateEnvironment.CURRENT, env).call(() -> CliRun.of(connection, args));

        assertThat(run.err()).as("stderr").isEqualTo(runVirsh(true, args));
        assertThat(run.out()).as("stdout").isEqualTo(runVirsh(false, args));
        assertThat(run.status()).isEqualTo(1);
    }

    private static String runVirsh(boolean stderr, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(VIRSH.toString(), "-c", "test:///default"));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LC_ALL", "C");
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        Path other = Files.createTempFile("virsh", ".out");
        if (stderr) {
            builder.redirectOutput(other.toFile());
        } else {
            builder.redirectError(other.toFile());
        }
        Process process = builder.start();
        // A virsh that hangs fails the test instead of blocking the build.
        CompletableFuture.runAsync(process::destroyForcibly, CompletableFuture.delayedExecutor(30, TimeUnit.SECONDS));
        try {
            byte[] captured = (stderr ? process.getErrorStream() : process.getInputStream()).readAllBytes();
            assertThat(process.waitFor(30, TimeUnit.SECONDS))
                    .as("virsh finished")
                    .isTrue();
            return new String(captured, StandardCharsets.UTF_8);
        } finally {
            process.getOutputStream().close();
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(other);
        }
    }
}
