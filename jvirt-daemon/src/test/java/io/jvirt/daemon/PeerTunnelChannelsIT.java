package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.StateReason;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * jvirt's tunnel with several channels: two daemons configured with {@code migration_tunnel_channels = 2} run
 * {@code virsh migrate --p2p --tunnelled} as QEMU multifd with 2 channels, the main channel and each multifd
 * channel in a stream of its own. Checks the ticking guest after each hop, that each of the three streams carried
 * data into the destination's QEMU, that {@code --parallel-connections} picks the number for one migration, and
 * that an abort while they run leaves the guest
 * running on the source with no thread, socket or QEMU left behind. The guest is proven whole with
 * {@link GuestIntegrity} after every hop and after the abort.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerTunnelChannelsIT {
    private static final String GUEST = "chan";
    private TwoDaemons hosts;
    private VirshHost a;
    private VirshHost b;
    private Virsh virshA;
    private Virsh virshB;
    private SerialLog log;
    private final List<String> logged = new CopyOnWriteArrayList<>();
    /** Held, so the logger and its level stay while the class runs. */
    private final Logger migrationLog = Logger.getLogger("io.jvirt.driver.migration");

    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(
                    r.getParameters() == null
                            ? r.getMessage()
                            : MessageFormat.format(r.getMessage(), r.getParameters()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeAll
    void start() throws Exception {
        migrationLog.setLevel(Level.FINE);
        capture.setLevel(Level.FINE);
        migrationLog.addHandler(capture);
        hosts = TwoDaemons.start(
                "jvirtd-channels-", PeerTunnelChannelsIT::configured, PeerTunnelChannelsIT::configured);
        a = hosts.a();
        b = hosts.b();
        virshA = a.virsh();
        virshB = b.virsh();
        long t0 = System.nanoTime();
        log = hosts.boot(a, GUEST, g -> g.memoryMiB(256).fillMiB(96).dirtyMibps(8));
        System.out.printf("[it] boot %s: %.2f s%n", GUEST, (System.nanoTime() - t0) / 1e9);
    }

    private static DaemonConfig configured(Path root) {
        try {
            Files.createDirectories(root.resolve("etc"));
            Files.writeString(root.resolve("etc/jvirt.conf"), "migration_tunnel_channels = 2\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return TwoDaemons.config(root);
    }

    @AfterAll
    void stop() throws Exception {
        migrationLog.removeHandler(capture);
        hosts.close();
    }

    @Test
    @Order(1)
    void tunnelledThereAndBackRunsMultifdOverThreeStreams() throws Exception {
        for (boolean toB : new boolean[] {true, false}) {
            logged.clear();
            if (toB) {
                PeerHop.hop("tunnelled, 2 multifd channels, A->B", hosts, a, b, GUEST, log, "--tunnelled");
            } else {
                PeerHop.hop("tunnelled, 2 multifd channels, B->A", hosts, b, a, GUEST, log, "--tunnelled");
            }
            assertEveryStreamCarried(3);
        }
    }

    /**
     * Both daemons run in this JVM: their debug lines say what each stream carried. The perform's total, and each
     * of the {@code streams} channels into the destination's QEMU (0 the main one, the others multifd), above 0.
     */
    private void assertEveryStreamCarried(int streams) {
        assertThat(logged)
                .anyMatch(l -> l.matches("p2p perform of chan took [\\d,]+ ms, [1-9][\\d,]* bytes through "
                        + "the tunnel's " + streams + " streams"));
        for (int channel = 0; channel < streams; channel++) {
            String prefix = "tunnel channel " + channel + " into chan: ";
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(logged)
                            .anyMatch(l -> l.startsWith(prefix) && l.matches(".*: [1-9][\\d,]* bytes")));
        }
        logged.stream().filter(l -> l.startsWith("tunnel channel ")).forEach(l -> System.out.println("[it] " + l));
    }

    @Test
    @Order(2)
    void everyChannelCarriesDataAndAnAbortLeavesNothingBehind() throws Exception {
        GuestIntegrity whole = GuestIntegrity.before(log, GUEST, a.guest());
        Process migrate = virshA.command("migrate", "--live", "--p2p", "--tunnelled", GUEST, b.uri())
                .redirectErrorStream(true)
                .start();
        String out;
        try {
            // A relay starts when its channel's first bytes are in; they come early in the migration.
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(5))
                    .untilAsserted(() -> assertThat(threadNames())
                            .as("a relay per channel into B's QEMU")
                            .contains(
                                    "jvirt-tunnel-relay-" + GUEST + "-0",
                                    "jvirt-tunnel-relay-" + GUEST + "-1",
                                    "jvirt-tunnel-relay-" + GUEST + "-2"));
            // QEMU 10.0 does not hold multifd to max-bandwidth (4 MiB/s asked here once moved 167 MiB in 0.6 s),
            // so the migration could end before the abort: B's QEMU stops reading until the abort is in, which
            // holds every channel where it is.
            long incoming = b.guest().qemuPid(GUEST).orElseThrow();
            signal(incoming, "STOP");
            try {
                // Past QEMU's setup: the memory is on its way (into the buffers before B's QEMU).
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100))
                        .untilAsserted(
                                () -> assertThat(virshA.run("domjobinfo", GUEST).out())
                                        .containsPattern("Memory processed:\\s+[1-9]"));
                assertThat(virshA.run("domjobabort", GUEST).exit()).isZero();
            } finally {
                signal(incoming, "CONT");
            }
            assertThat(migrate.waitFor(60, TimeUnit.SECONDS)).isTrue();
            out = new String(migrate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            migrate.destroyForcibly();
        }
        System.out.println("[it] abort with 3 streams: " + out.strip());
        assertThat(migrate.exitValue()).as(out).isNotZero();
        assertThat(out).contains("error: operation aborted: job 'migration out' canceled by client");
        // The guest came back from B in the first test; an abort leaves its state and reason alone.
        assertThat(virshA.run("domstate", "--reason", GUEST).out().strip()).isEqualTo("running (migrated)");
        // B keeps the persistent definition the first hop left there, shut off.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        assertThat(virshB.run("domstate", GUEST).out().strip()).isEqualTo("shut off"));
        whole.assertStayed(StateReason.RUNNING_MIGRATED);
        assertThat(b.guest().runsAnyQemu()).as("no QEMU left on B").isFalse();
        assertThat(Files.exists(a.root().resolve("run/qemu/" + GUEST + "/tunnel-out")))
                .isFalse();
        assertThat(Files.exists(b.root().resolve("run/qemu/" + GUEST + "/tunnel-in")))
                .isFalse();
        hosts.assertNothingStray();

        logged.clear();
        PeerHop.hop("tunnelled after the abort, A->B", hosts, a, b, GUEST, log, "--tunnelled");
        assertEveryStreamCarried(3);
    }

    @Test
    @Order(3)
    void virshAsksForTheChannelsPerMigration() throws Exception {
        // The guest is on B after the previous test; virsh sends parallel.connections without PARALLEL.
        logged.clear();
        PeerHop.hop(
                "tunnelled, 3 multifd channels asked, B->A",
                hosts,
                b,
                a,
                GUEST,
                log,
                "--tunnelled",
                "--parallel-connections",
                "3");
        assertEveryStreamCarried(4);
    }

    private static void signal(long pid, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .redirectErrorStream(true)
                .start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s %d", signal, pid).isZero();
    }

    private static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
    }
}
