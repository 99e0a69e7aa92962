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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code virsh migrate --p2p} and {@code --p2p --tunnelled} between two jvirtds on this machine: the source daemon
 * opens its own connection to the destination and runs every phase; tunnelled, the guest's memory travels inside
 * that connection's stream. Proves the guest whole with {@link GuestIntegrity} after each hop, after an abort of a
 * tunnelled migration, and after the destination daemon was killed mid-transfer.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PeerMigrationVirshIT {

    private TwoDaemons hosts;
    private VirshHost a;

    @BeforeEach
    void startSource() throws IOException {
        hosts = TwoDaemons.none("jvirtd-p2p-");
        a = hosts.startInJvm("A", TwoDaemons::config);
    }

    @AfterEach
    void stopAll() throws Exception {
        hosts.close();
    }

    private SerialLog startGuest(String name, int memoryMiB, int fillMiB) throws Exception {
        long t0 = System.nanoTime();
        SerialLog log = hosts.boot(a, name, g -> g.memoryMiB(memoryMiB).fillMiB(fillMiB).dirtyMibps(50));
        System.out.printf("[it] boot %s (%d MiB filled): %.2f s%n", name, fillMiB, (System.nanoTime() - t0) / 1e9);
        return log;
    }

    @Test
    void nativeAndTunnelledThereAndBack() throws Exception {
        VirshHost b = hosts.startInJvm("B", TwoDaemons::config);
        assertThat(hosts.daemon(a).hostUuid()).isNotEqualTo(hosts.daemon(b).hostUuid());
        SerialLog log = startGuest("g1", 512, 384);

        PeerHop.hop("p2p native A->B", hosts, a, b, "g1", log);
        PeerHop.hop("p2p native B->A", hosts, b, a, "g1", log);
        PeerHop.hop("p2p tunnelled A->B", hosts, a, b, "g1", log, "--tunnelled");
        PeerHop.hop("p2p tunnelled B->A", hosts, b, a, "g1", log, "--tunnelled");
    }

    @Test
    void tunnelledAbortLeavesTheGuestOnTheSource() throws Exception {
        VirshHost b = hosts.startInJvm("B", TwoDaemons::config);
        SerialLog log = startGuest("g2", 512, 384);
        long pipesBefore = openPipes();
        GuestIntegrity whole = GuestIntegrity.before(log, "g2", a.guest());
        Process migrate = a.virsh().command("migrate", "--live", "--p2p", "--tunnelled", "--bandwidth", "16", "g2",
                b.uri()).redirectErrorStream(true).start();
        String out;
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                    assertThat(JobInfo.processedMiB(a.virsh().run("domjobinfo", "g2").out())).isGreaterThan(8));
            String during = a.virsh().run("domjobinfo", "g2").out();
            System.out.println("[it] domjobinfo during tunnelled migration:\n" + during);
            assertThat(during).containsPattern("Job type:\\s+Unbounded");
            assertThat(b.virsh().run("list", "--all").out()).contains("g2");

            assertThat(a.virsh().run("domjobabort", "g2").exit()).isZero();
            assertThat(migrate.waitFor(60, TimeUnit.SECONDS)).isTrue();
            out = new String(migrate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            migrate.destroyForcibly();
        }
        System.out.println("[it] tunnelled abort: " + out.strip());
        assertThat(migrate.exitValue()).as(out).isNotZero();
        assertThat(out).contains("error: operation aborted: job 'migration out' canceled by client");

        assertThat(a.virsh().run("domstate", "--reason", "g2").out().strip()).isEqualTo("running (booted)");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(b.virsh().run("list", "--all").out()).doesNotContain("g2");
            assertThat(b.root().resolve("run/qemu/g2.xml")).doesNotExist();
        });
        whole.assertStayed(StateReason.RUNNING_BOOTED).andGoneFrom(b.guest());
        try (var files = Files.walk(b.root())) {
            // QEMU's log stays, as libvirt's does. No status file, monitor socket or definition may stay.
            assertThat(files.filter(p -> !p.startsWith(b.root().resolve("log"))).map(Path::toString)
                    .filter(p -> p.contains("g2"))).isEmpty();
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
            }).count();
        }
    }

    @Test
    void destinationKilledMidTransfer() throws Exception {
        Process dest = hosts.startProcess("B", true, Map.of());
        VirshHost b = hosts.processHost("B");
        SerialLog log = startGuest("g3", 512, 384);
        GuestIntegrity whole = GuestIntegrity.before(log, "g3", a.guest());
        Process migrate = a.virsh().command("migrate", "--live", "--p2p", "--bandwidth", "16", "g3",
                b.uri() + "&keepalive_interval=1&keepalive_count=3").redirectErrorStream(true).start();
        String out;
        double noticed;
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                    assertThat(JobInfo.processedMiB(a.virsh().run("domjobinfo", "g3").out())).isGreaterThan(8));
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
        assertThat(a.virsh().run("domstate", "--reason", "g3").out().strip()).isEqualTo("running (booted)");
        whole.assertStayed(StateReason.RUNNING_BOOTED);
        // B's daemon is dead, so its QEMU is checked by its command line: the incoming one must end too.
        await().atMost(GuestIntegrity.QEMU_EXIT).until(() -> !b.guest().runsAnyQemu());
        hosts.assertNothingStray();
    }

    @Test
    void tunnelledBetweenASplicingDaemonAndOneThatCopies() throws Exception {
        hosts.startProcess("B", false, Map.of());
        VirshHost b = hosts.processHost("B");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                Files.readString(b.root().resolve("daemon.err"))).contains("tunnelled migration will copy"));
        SerialLog log = startGuest("g4", 256, 128);

        // A splices into the stream, B copies it into QEMU's pipe; then B copies out and A splices in.
        PeerHop.hop("tunnelled, splicing source to copying destination", hosts, a, b, "g4", log, "--tunnelled");
        PeerHop.hop("tunnelled, copying source to splicing destination", hosts, b, a, "g4", log, "--tunnelled");
    }
}
