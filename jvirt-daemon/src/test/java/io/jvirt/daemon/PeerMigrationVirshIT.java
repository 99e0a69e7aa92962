package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.StateReason;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * {@code virsh migrate --p2p} and {@code --p2p --tunnelled} between two jvirtds on this machine: the source daemon
 * opens its own connection to the destination and runs every phase; tunnelled, the guest's memory travels inside
 * that connection's stream. Proves the guest whole with {@link GuestIntegrity} after each hop, after an abort of a
 * tunnelled migration, and after the destination daemon was killed mid-transfer. One guest, booted once on A, and
 * back on A after each test; each test has a destination daemon of its own, on a root of its own.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerMigrationVirshIT {
    private static final String NAME = "p2pg";

    private TwoDaemons hosts;
    private VirshHost a;
    private SerialLog log;

    @BeforeAll
    void startSource() throws Exception {
        hosts = TwoDaemons.none("jvirtd-p2p-");
        a = hosts.startInJvm("A", TwoDaemons::config);
        long t0 = System.nanoTime();
        log = hosts.boot(a, NAME, g -> g.memoryMiB(512).fillMiB(384).dirtyMibps(50));
        System.out.printf("[it] boot %s (384 MiB filled): %.2f s%n", NAME, (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    void stopAll() throws Exception {
        hosts.close();
    }

    /** The guest's reason on A now, which a failed or aborted migration must leave as it is. */
    private StateReason reasonOnA() {
        return a.guest().status(NAME).orElseThrow().reason();
    }

    @Test
    @Order(10)
    void nativeAndTunnelledThereAndBack() throws Exception {
        VirshHost b = hosts.startInJvm("B1", TwoDaemons::config);
        assertThat(hosts.daemon(a).hostUuid()).isNotEqualTo(hosts.daemon(b).hostUuid());

        PeerHop.hop("p2p native A->B", hosts, a, b, NAME, log);
        PeerHop.hop("p2p native B->A", hosts, b, a, NAME, log);
        PeerHop.hop("p2p tunnelled A->B", hosts, a, b, NAME, log, "--tunnelled");
        PeerHop.hop("p2p tunnelled B->A", hosts, b, a, NAME, log, "--tunnelled");
    }

    @Test
    @Order(20)
    void tunnelledAbortLeavesTheGuestOnTheSource() throws Exception {
        VirshHost b = hosts.startInJvm("B2", TwoDaemons::config);
        long pipesBefore = openPipes();
        StateReason reason = reasonOnA();
        String stateBefore = a.domstate(NAME);
        GuestIntegrity whole = GuestIntegrity.before(log, NAME, a.guest());
        Process migrate = a.virsh()
                .command("migrate", "--live", "--p2p", "--tunnelled", "--bandwidth", "16", NAME, b.uri())
                .redirectErrorStream(true)
                .start();
        String out;
        try {
            JobInfo.awaitMoving(a, NAME);
            String during = a.virsh().run("domjobinfo", NAME).out();
            System.out.println("[it] domjobinfo during tunnelled migration:\n" + during);
            assertThat(during).containsPattern("Job type:\\s+Unbounded");
            assertThat(b.virsh().run("list", "--all").out()).contains(NAME);

            assertThat(a.virsh().run("domjobabort", NAME).exit()).isZero();
            assertThat(migrate.waitFor(60, TimeUnit.SECONDS)).isTrue();
            out = new String(migrate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            migrate.destroyForcibly();
        }
        System.out.println("[it] tunnelled abort: " + out.strip());
        assertThat(migrate.exitValue()).as(out).isNotZero();
        assertThat(out).contains("error: operation aborted: job 'migration out' canceled by client");

        assertThat(a.domstate(NAME)).isEqualTo(stateBefore);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(b.virsh().run("list", "--all").out()).doesNotContain(NAME);
            assertThat(b.root().resolve("run/qemu/" + NAME + ".xml")).doesNotExist();
        });
        whole.assertStayed(reason).andGoneFrom(b.guest());
        try (var files = Files.walk(b.root())) {
            // QEMU's log stays, as libvirt's does. No status file, monitor socket or definition may stay.
            assertThat(files.filter(p -> !p.startsWith(b.root().resolve("log")))
                            .filter(p -> p.getFileName().toString().startsWith(NAME + "."))
                            .map(Path::toString))
                    .isEmpty();
        }
        hosts.assertNothingStray();
        // Both daemons live in this JVM: the tunnel's two pipes (and the destination QEMU's) must all be closed.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(openPipes()).isLessThanOrEqualTo(pipesBefore));
    }

    /** Pipe descriptors this JVM holds open. */
    private static long openPipes() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString().startsWith("pipe:");
                        } catch (IOException e) {
                            return false; // closed while listing
                        }
                    })
                    .count();
        }
    }

    @Test
    @Order(30)
    void destinationKilledMidTransfer() throws Exception {
        Process dest = hosts.startProcess("B3", true, Map.of());
        VirshHost b = hosts.processHost("B3");
        StateReason reason = reasonOnA();
        String stateBefore = a.domstate(NAME);
        GuestIntegrity whole = GuestIntegrity.before(log, NAME, a.guest());
        Process migrate = a.virsh()
                .command(
                        "migrate",
                        "--live",
                        "--p2p",
                        "--bandwidth",
                        "16",
                        NAME,
                        b.uri() + "&keepalive_interval=1&keepalive_count=3")
                .redirectErrorStream(true)
                .start();
        String out;
        double noticed;
        try {
            JobInfo.awaitMoving(a, NAME);
            long killed = System.nanoTime();
            dest.destroyForcibly();
            assertThat(dest.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(migrate.waitFor(60, TimeUnit.SECONDS)).isTrue();
            noticed = (System.nanoTime() - killed) / 1e9;
            out = new String(migrate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            migrate.destroyForcibly();
        }
        System.out.printf("[it] destination killed: migrate ended after %.2f s: %s%n", noticed, out.strip());
        assertThat(migrate.exitValue()).isNotZero();
        // libvirt's words when the peer connection to the destination drops during Perform (OPERATION_FAILED).
        assertThat(out).contains("error: operation failed: Lost connection to destination host");
        assertThat(noticed).isLessThan(10);
        assertThat(a.domstate(NAME)).isEqualTo(stateBefore);
        whole.assertStayed(reason);
        // B's daemon is dead, so its QEMU is checked by its command line: the incoming one must end too.
        await().atMost(GuestIntegrity.QEMU_EXIT).until(() -> !b.guest().runsAnyQemu());
        hosts.assertNothingStray();
    }

    @Test
    @Order(40)
    void tunnelledBetweenASplicingDaemonAndOneThatCopies() throws Exception {
        hosts.startProcess("B4", false, Map.of());
        VirshHost b = hosts.processHost("B4");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(Files.readString(b.root().resolve("daemon.err")))
                        .contains("tunnelled migration will copy"));

        // A splices into the stream, B copies it into QEMU's pipe; then B copies out and A splices in.
        PeerHop.hop("tunnelled, splicing source to copying destination", hosts, a, b, NAME, log, "--tunnelled");
        PeerHop.hop("tunnelled, copying source to splicing destination", hosts, b, a, NAME, log, "--tunnelled");
    }
}
