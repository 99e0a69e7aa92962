package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.guest.GuestBuilder;
import io.jvirt.guest.GuestTick;
import io.jvirt.guest.GuestXml;
import io.jvirt.guest.SerialLog;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * jvirt's tunnel with several channels: two daemons configured with {@code migration_tunnel_channels = 2} run
 * {@code virsh migrate --p2p --tunnelled} as QEMU multifd with 2 channels, the main channel and each multifd
 * channel in a stream of its own. Checks the ticking guest after each hop, that each of the three streams carried
 * data into the destination's QEMU, that {@code --parallel-connections} picks the number for one migration, and
 * that an abort while they run leaves the guest
 * running on the source with no thread, socket or QEMU left behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerTunnelChannelsIT {
    private static final String GUEST = "chan";
    private Path base;
    private Daemon a;
    private Daemon b;
    private Virsh virshA;
    private Virsh virshB;
    private SerialLog log;
    private final List<String> logged = new CopyOnWriteArrayList<>();
    /** Held, so the logger and its level stay while the class runs. */
    private final Logger migrationLog = Logger.getLogger("io.jvirt.driver.migration");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r.getParameters() == null ? r.getMessage()
                    : MessageFormat.format(r.getMessage(), r.getParameters()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    void start() throws Exception {
        migrationLog.setLevel(Level.FINE);
        capture.setLevel(Level.FINE);
        migrationLog.addHandler(capture);
        base = Files.createTempDirectory("jvirtd-channels-");
        a = Daemon.start(configured("a"));
        b = Daemon.start(configured("b"));
        virshA = Virsh.on(a.rwSocket());
        virshB = Virsh.on(b.rwSocket());
        log = GuestBoot.boot(virshA, base, GUEST, serial -> GuestXml.named(GUEST).memoryMiB(256).fillMiB(96)
                .dirtyMibps(8).serialFile(serial).image(GuestBuilder.ensureBuilt()).toXml());
    }

    private DaemonConfig configured(String host) throws Exception {
        Path root = base.resolve(host);
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/jvirt.conf"), "migration_tunnel_channels = 2\n");
        return DaemonConfig.forRoot(root, root.resolve("run"));
    }

    @AfterAll
    void stop() throws Exception {
        migrationLog.removeHandler(capture);
        QemuReaper.stopDaemons(base, a, b);
    }

    private static String uriOf(Daemon d) {
        return "qemu+unix:///system?socket=" + d.rwSocket();
    }

    @Test
    @Order(1)
    void tunnelledThereAndBackRunsMultifdOverThreeStreams() throws Exception {
        for (boolean toB : new boolean[] {true, false}) {
            logged.clear();
            if (toB) {
                PeerHop.hop("tunnelled, 2 multifd channels, A->B", virshA, virshB, uriOf(b), GUEST, log, "--tunnelled");
            } else {
                PeerHop.hop("tunnelled, 2 multifd channels, B->A", virshB, virshA, uriOf(a), GUEST, log, "--tunnelled");
            }
            // Both daemons run in this JVM: their debug lines say what each stream carried.
            assertThat(logged).anyMatch(l -> l.matches("p2p perform of chan took \\d+ ms, [1-9][\\d,]* bytes through "
                    + "the tunnel's 3 streams"));
            for (int channel = 0; channel < 3; channel++) {
                String prefix = "tunnel channel " + channel + " into chan: ";
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(logged)
                        .anyMatch(l -> l.startsWith(prefix) && l.matches(".*: [1-9][\\d,]* bytes")));
            }
        }
        awaitNoTunnelThreads();
    }

    @Test
    @Order(2)
    void everyChannelCarriesDataAndAnAbortLeavesNothingBehind() throws Exception {
        Process migrate = virshA.command("migrate", "--live", "--p2p", "--tunnelled", "--bandwidth", "4", GUEST,
                uriOf(b)).redirectErrorStream(true).start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                assertThat(virshA.run("domjobinfo", GUEST).out()).containsPattern("Memory processed:\\s+[1-9]");
                assertThat(threadNames()).as("a relay per channel into B's QEMU").contains(
                        "jvirt-tunnel-relay-" + GUEST + "-0", "jvirt-tunnel-relay-" + GUEST + "-1",
                        "jvirt-tunnel-relay-" + GUEST + "-2");
            });

            assertThat(virshA.run("domjobabort", GUEST).exit()).isZero();
            assertThat(migrate.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(migrate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(migrate.exitValue()).as(out).isNotZero();
            assertThat(out).contains("canceled by client");
        } finally {
            migrate.destroyForcibly();
        }
        assertThat(virshA.run("domstate", GUEST).out().strip()).isEqualTo("running");
        GuestTick last = log.latest().orElseThrow();
        log.awaitTickAfter(last.tick() + 1, Duration.ofSeconds(30));
        assertThat(log.ticks()).allMatch(GuestTick::patternOk);
        assertThat(log.boots()).isEqualTo(1);
        // B keeps the persistent definition the first hop left there, shut off.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(virshB.run("domstate", GUEST).out().strip()).isEqualTo("shut off"));
        assertThat(ProcessHandle.allProcesses().filter(h -> h.info().commandLine()
                .map(c -> c.contains("qemu-system") && c.contains(base.resolve("b").toString())).orElse(false)))
                .as("no QEMU left on B").isEmpty();
        awaitNoTunnelThreads();
        assertThat(Files.exists(base.resolve("a/run/qemu/" + GUEST + ".tunnel-out"))).isFalse();
        assertThat(Files.exists(base.resolve("b/run/qemu/" + GUEST + ".tunnel-in"))).isFalse();

        PeerHop.hop("tunnelled after the abort, A->B", virshA, virshB, uriOf(b), GUEST, log, "--tunnelled");
    }

    @Test
    @Order(3)
    void virshAsksForTheChannelsPerMigration() throws Exception {
        // The guest is on B after the previous test; virsh sends parallel.connections without PARALLEL.
        logged.clear();
        PeerHop.hop("tunnelled, 3 multifd channels asked, B->A", virshB, virshA, uriOf(a), GUEST, log, "--tunnelled",
                "--parallel-connections", "3");
        assertThat(logged).anyMatch(l -> l.matches("p2p perform of chan took \\d+ ms, [1-9][\\d,]* bytes through "
                + "the tunnel's 4 streams"));
        awaitNoTunnelThreads();
    }

    private static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
    }

    private static void awaitNoTunnelThreads() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(threadNames().stream()
                .filter(n -> n.startsWith("jvirt-tunnel-"))).isEmpty());
    }
}
