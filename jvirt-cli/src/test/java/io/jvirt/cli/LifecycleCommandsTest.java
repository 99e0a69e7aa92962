package io.jvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.StateReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that change domains: their messages, their effect, and their failures in virsh's words. */
class LifecycleCommandsTest {
    private static final UUID WEB_UUID = UUID.fromString("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    private final FakeConnection connection = new FakeConnection();

    @TempDir
    Path dir;

    @Test
    void defineStartSuspendResumeDestroyUndefineRoundTrip() throws IOException {
        Path file = dir.resolve("g1.xml");
        Files.writeString(file, "<domain type='qemu'><name>g1</name></domain>");

        assertThat(CliRun.of(connection, "define", file.toString()).out())
                .isEqualTo("Domain 'g1' defined from " + file + "\n\n");
        assertThat(CliRun.of(connection, "start", "g1").out()).isEqualTo("Domain 'g1' started\n\n");
        assertThat(connection.domain("g1").reason).isEqualTo(StateReason.RUNNING_BOOTED);
        assertThat(CliRun.of(connection, "suspend", "g1").out()).isEqualTo("Domain 'g1' suspended\n\n");
        assertThat(CliRun.of(connection, "resume", "g1").out()).isEqualTo("Domain 'g1' resumed\n\n");
        assertThat(CliRun.of(connection, "domstate", "--reason", "g1").out()).isEqualTo("running (unpaused)\n\n");
        assertThat(CliRun.of(connection, "destroy", "g1").out()).isEqualTo("Domain 'g1' destroyed\n\n");
        assertThat(CliRun.of(connection, "domstate", "--reason", "g1").out()).isEqualTo("shut off (destroyed)\n\n");
        assertThat(CliRun.of(connection, "undefine", "g1").out()).isEqualTo("Domain 'g1' has been undefined\n\n");
        assertThat(connection.domain("g1")).isNull();
    }

    @Test
    void messagesNameTheDomainAsTypedExceptStartWhichUsesItsName() {
        connection.addRunning("web", WEB_UUID, 5);

        assertThat(CliRun.of(connection, "reboot", "5").out()).isEqualTo("Domain '5' is being rebooted\n\n");
        assertThat(CliRun.of(connection, "reset", WEB_UUID.toString()).out())
                .isEqualTo("Domain '" + WEB_UUID + "' was reset\n\n");
        CliRun.of(connection, "destroy", "web");
        assertThat(CliRun.of(connection, "start", WEB_UUID.toString(), "--paused")
                        .out())
                .isEqualTo("Domain 'web' started\n\n");
        assertThat(connection.domain("web").reason).isEqualTo(StateReason.PAUSED_USER);
    }

    @Test
    void createStartsATransientDomain() throws IOException {
        Path file = dir.resolve("t.xml");
        Files.writeString(file, "<domain type='qemu'><name>t1</name></domain>");

        CliRun run = CliRun.of(connection, "create", file.toString(), "--paused");

        assertThat(run.out()).isEqualTo("Domain 't1' created from " + file + "\n\n");
        assertThat(connection.domain("t1").persistent).isFalse();
        assertThat(connection.domain("t1").reason).isEqualTo(StateReason.PAUSED_USER);
    }

    @Test
    void failedActionPrintsVirshHeadlineThenTheApiError() {
        connection.add("web", WEB_UUID);

        CliRun run = CliRun.of(connection, "destroy", "web");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("""
                error: Failed to destroy domain 'web'
                error: Requested operation is not valid: domain is not running
                """);
        assertThat(run.out()).isEqualTo("\n");
    }

    @Test
    void startingAnActiveDomainIsRefusedBeforeAsking() {
        connection.addRunning("web", WEB_UUID, 2);

        CliRun run = CliRun.of(connection, "start", "web");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: Domain is already active\n");
    }

    @Test
    void missingFileIsReportedAsVirshDoes() {
        CliRun run = CliRun.of(connection, "define", dir.resolve("nofile.xml").toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err())
                .isEqualTo(
                        "error: Failed to open file '" + dir.resolve("nofile.xml") + "': No such file or directory\n");
    }

    @Test
    void autostartMarksAndUnmarks() {
        connection.add("web", WEB_UUID);

        assertThat(CliRun.of(connection, "autostart", "web").out()).isEqualTo("Domain 'web' marked as autostarted\n\n");
        assertThat(connection.domain("web").autostart).isTrue();
        assertThat(CliRun.of(connection, "autostart", "--disable", "web").out())
                .isEqualTo("Domain 'web' unmarked as autostarted\n\n");
        assertThat(connection.domain("web").autostart).isFalse();
    }

    @Test
    void quietSuppressesInformationalMessages() {
        connection.addRunning("web", WEB_UUID, 2);

        CliRun run = CliRun.of(connection, "-q", "destroy", "web");

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(connection.domain("web").reason).isEqualTo(StateReason.SHUTOFF_DESTROYED);
    }

    @Test
    void shutdownReturnsAtOnceWithoutTimeout() {
        connection.addRunning("web", WEB_UUID, 2).powersOff = false;

        CliRun run = CliRun.of(connection, "shutdown", "web");

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("Domain 'web' is being shutdown\n\n");
        assertThat(connection.lastAwaitMillis).isEqualTo(-1);
    }

    @Test
    void shutdownWithTimeoutWaitsForShutoff() {
        connection.addRunning("web", WEB_UUID, 2);

        CliRun run = CliRun.of(connection, "shutdown", "web", "--timeout", "30");

        assertThat(run.status()).isZero();
        assertThat(connection.lastAwaitMillis).isEqualTo(30_000);
        assertThat(connection.domain("web").reason).isEqualTo(StateReason.SHUTOFF_SHUTDOWN);
    }

    @Test
    void shutdownWithTimeoutFailsWhenTheGuestStaysUp() {
        connection.addRunning("web", WEB_UUID, 2).powersOff = false;

        CliRun run = CliRun.of(connection, "shutdown", "web", "--timeout", "2");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).startsWith("Domain 'web' is being shutdown\n");
        assertThat(run.err())
                .isEqualTo("error: Timed out during operation: domain 'web' still running after 2000 ms\n");
    }
}
