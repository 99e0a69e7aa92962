package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.guest.GuestTick;
import io.jvirt.guest.SerialLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code jvirt migrate} as a user runs it, one process driving two embedded hosts client-managed: a live migration
 * with the progress display, and one that cannot converge under a bandwidth cap, which the note says and the
 * {@code --timeout --timeout-suspend} deadline finishes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliMigrateIT {
    private static final String GUEST = "climig";
    private static final Path JAR = Path.of("..", "jvirt-cli", "target", "jvirt.jar").toAbsolutePath().normalize();

    private TestHost hostA;
    private TestHost hostB;
    private SerialLog serial;

    record Result(int exit, String out, String err) {
    }

    @BeforeAll
    void setUp() throws Exception {
        assertThat(JAR).exists();
        hostA = new TestHost("climig-a");
        hostB = new TestHost("climig-b");
        serial = hostA.serial(GUEST);
        try (Connection a = hostA.open()) {
            DomainRef ref = a.defineXml(hostA.guest(GUEST).dirtyMibps(100).toXml());
            a.create(ref, 0);
        }
        serial.awaitReady(TestHost.BOOT);
        // The hosts were opened once so each has its identity; the CLI processes open them from here on.
        hostB.open().close();
    }

    @AfterAll
    void tearDown() throws Exception {
        try {
            hostA.close();
        } finally {
            hostB.close();
        }
    }

    private Result jvirt(TestHost host, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "-c", host.uri()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("jvirt-out", ".txt");
        Path err = Files.createTempFile("jvirt-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("jvirt %s finished", List.of(args)).isTrue();
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    @Order(10)
    void liveMigrationWithProgress() throws Exception {
        GuestTick before = serial.latest().orElseThrow();
        Result r = jvirt(hostA, "migrate", "--live", "--verbose", GUEST, hostB.uri());
        System.out.printf("[it] jvirt migrate output:%n%s%s%n", r.out(), r.err());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).as("virsh draws progress on stderr").contains("Migration: [100.00 %]")
                .contains("Migration completed in");
        assertThat(jvirt(hostB, "domstate", "--reason", GUEST).out().strip()).isEqualTo("running (migrated)");
        assertThat(jvirt(hostA, "domstate", "--reason", GUEST).out().strip()).isEqualTo("shut off (migrated)");
        GuestTick after = serial.awaitTickAfter(before.tick() + 1, TestHost.BOOT);
        assertThat(after.uptimeMs()).isGreaterThan(before.uptimeMs());
        assertThat(after.patternOk()).isTrue();
    }

    @Test
    @Order(20)
    void anUnconvergedMigrationIsNotedAndTheTimeoutSuspendFinishesIt() throws Exception {
        GuestTick before = serial.latest().orElseThrow();
        Result r = jvirt(hostB, "migrate", "--live", "--verbose", "--bandwidth", "12", "--timeout", "16",
                "--timeout-suspend", GUEST, hostA.uri());
        System.out.printf("[it] jvirt migrate --timeout output:%n%s%s%n", r.out(), r.err());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("not converging");
        assertThat(jvirt(hostA, "domstate", "--reason", GUEST).out().strip()).isEqualTo("running (migrated)");
        GuestTick after = serial.awaitTickAfter(before.tick() + 1, TestHost.BOOT);
        assertThat(after.patternOk()).isTrue();
        assertThat(serial.boots()).isEqualTo(1);
    }

    @Test
    @Order(30)
    void peerToPeerTunnelledWithProgress() throws Exception {
        GuestTick before = serial.latest().orElseThrow();
        Result r = jvirt(hostA, "migrate", "--live", "--p2p", "--tunnelled", "--verbose", GUEST, hostB.uri());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("Migration: [100.00 %]", "Migration completed in");
        assertThat(jvirt(hostB, "domstate", "--reason", GUEST).out().strip()).isEqualTo("running (migrated)");
        GuestTick after = serial.awaitTickAfter(before.tick() + 1, TestHost.BOOT);
        assertThat(after.patternOk()).isTrue();
        assertThat(serial.boots()).isEqualTo(1);
    }

    @Test
    @Order(40)
    void peerToPeerTunnelledOverMultifdChannelsWithProgress() throws Exception {
        // Both hosts are in-process here, so each channel is read by the destination's pump, not spliced.
        GuestTick before = serial.latest().orElseThrow();
        Result r = jvirt(hostB, "migrate", "--live", "--p2p", "--tunnelled", "--parallel-connections", "2",
                "--verbose", GUEST, hostA.uri());
        assertThat(r.exit()).as(r.err()).isZero();
        // The guest was transient on B, so nothing is left there to read the completed job's summary from.
        assertThat(r.err()).contains("Migration: [100.00 %]");
        assertThat(jvirt(hostA, "domstate", "--reason", GUEST).out().strip()).isEqualTo("running (migrated)");
        assertThat(jvirt(hostB, "domstate", GUEST).exit()).as("gone from B").isNotZero();
        GuestTick after = serial.awaitTickAfter(before.tick() + 1, TestHost.BOOT);
        assertThat(after.patternOk()).isTrue();
        assertThat(serial.boots()).isEqualTo(1);
    }
}
