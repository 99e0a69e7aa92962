package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.StateReason;
import io.jvirt.guest.GuestDisk;
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
 * jvirt's storage through the tunnel: {@code virsh migrate --live --p2p --tunnelled --copy-storage-all} between two
 * daemons, with no port opened for NBD: the destination's NBD server listens on a unix socket in its run
 * directory, and each NBD connection of the source's mirrors travels in a stream of its own. The guest has a qcow2
 * disk and runs the disk workload (writing while its disk is copied); each destination gets its own image path
 * through {@code --xml} (both daemons share this machine's filesystem) and creates it. The guest goes there and
 * back, proven whole by {@link GuestIntegrity} (memory sweeps and two verify passes over its disk with
 * {@code disk=ok}), and then an abort while the disk copies at 1 MiB/s leaves it running on the source with
 * nothing on the destination: no domain, no image, no socket, no thread.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerTunnelStorageIT {
    private static final String GUEST = "tstor";
    private static final long REGION_MIB = 16;
    private static final long WRITE_MIBPS = 2;

    private TwoDaemons hosts;
    private VirshHost a;
    private VirshHost b;
    private SerialLog log;
    private Path onA;
    private final List<String> logged = new CopyOnWriteArrayList<>();
    /** Held, so the loggers and their levels stay while the class runs. */
    private final List<Logger> loggers =
            List.of(Logger.getLogger("io.jvirt.driver.migration"), Logger.getLogger("io.jvirt.remote.TunnelSender"));

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
        capture.setLevel(Level.FINE);
        for (Logger l : loggers) {
            l.setLevel(Level.FINE);
            l.addHandler(capture);
        }
        hosts = TwoDaemons.start("jvirtd-tunstore-");
        a = hosts.a();
        b = hosts.b();
        onA = hosts.base.resolve("a-vda.qcow2");
        HostCommand.run("qemu-img", "create", "-q", "-f", "qcow2", onA.toString(), (REGION_MIB + 16) + "M");
        long t0 = System.nanoTime();
        log = hosts.boot(
                a,
                GUEST,
                g -> g.memoryMiB(160)
                        .fillMiB(32)
                        .dirtyMibps(4)
                        .disk(GuestDisk.file(onA).format(GuestDisk.Format.QCOW2))
                        .diskWorkload(WRITE_MIBPS, REGION_MIB));
        System.out.printf("[it] boot %s: %.2f s%n", GUEST, (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    void stop() throws Exception {
        for (Logger l : loggers) {
            l.removeHandler(capture);
        }
        if (hosts != null) {
            hosts.close();
        }
    }

    @Test
    @Order(1)
    void thereAndBackWithTheDiskThroughTheTunnel() throws Exception {
        Path onB = hosts.base.resolve("b-vda.qcow2");
        hop("tunnelled with storage, A->B", a, b, onA, onB);
        Path backOnA = hosts.base.resolve("a-back-vda.qcow2");
        hop("tunnelled with storage, B->A", b, a, onB, backOnA);
    }

    /**
     * One hop with the disk copied through the tunnel into {@code there}, which the destination creates; checks
     * that the NBD server listened on a unix socket and that the disk's bytes went through a stream.
     */
    private void hop(String label, VirshHost from, VirshHost to, Path here, Path there) throws Exception {
        logged.clear();
        Path xml = destinationXml(from, here, there);
        assertThat(there).doesNotExist();
        PeerHop.hop(label, hosts, from, to, GUEST, log, "--tunnelled", "--copy-storage-all", "--xml", xml.toString());
        assertThat(there).as("the image the destination made").exists();
        assertThat(logged)
                .as("the NBD server on a unix socket in the destination's run directory")
                .anyMatch(l -> l.contains("NBD server at") && l.contains(GUEST + "/nbd-in"));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(logged)
                        .as("the mirror's writes went through a stream into the NBD server")
                        .anyMatch(l -> l.matches(
                                "tunnel channel nbd\\d+ into " + GUEST + "(: | ended after )[1-9][\\d,]* bytes.*")));
        logged.stream()
                .filter(l -> l.contains("mirror(s) ready")
                        || l.startsWith("tunnel channel nbd")
                        || l.startsWith("tunnel nbd"))
                .forEach(l -> System.out.println("[it] " + label + ": " + l));
    }

    @Test
    @Order(2)
    void abortMidMirrorLeavesTheGuestOnTheSourceAndNothingOnTheDestination() throws Exception {
        Path onB = hosts.base.resolve("b-aborted-vda.qcow2");
        Path here = hosts.base.resolve("a-back-vda.qcow2");
        Path xml = destinationXml(a, here, onB);
        GuestIntegrity whole = GuestIntegrity.before(log, GUEST, a.guest());
        Virsh virshA = a.virsh();
        Process migrate = virshA.command(
                        "migrate",
                        "--live",
                        "--p2p",
                        "--tunnelled",
                        "--copy-storage-all",
                        "--bandwidth",
                        "1",
                        "--xml",
                        xml.toString(),
                        GUEST,
                        b.uri())
                .redirectErrorStream(true)
                .start();
        String out;
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(
                            () -> assertThat(virshA.run("domjobinfo", GUEST).out())
                                    .containsPattern("File processed:\\s+[1-9]"));
            assertThat(onB).as("the destination made the image").exists();
            assertThat(virshA.run("domjobabort", GUEST).exit()).isZero();
            assertThat(migrate.waitFor(60, TimeUnit.SECONDS)).isTrue();
            out = new String(migrate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            migrate.destroyForcibly();
        }
        System.out.println("[it] abort mid-mirror: " + out.strip());
        assertThat(migrate.exitValue()).as(out).isNotZero();
        assertThat(out).contains("error: operation aborted: job 'migration out' canceled by client");
        // The guest came back from B in the first test; an abort leaves its state and reason alone.
        assertThat(a.domstate(GUEST)).isEqualTo("running (migrated)");
        // B keeps the persistent definition the hops left there, shut off, and nothing else.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(b.virsh().run("domstate", GUEST).out().strip())
                                .isEqualTo("shut off"));
        assertThat(b.guest().runsAnyQemu()).as("no QEMU left on B").isFalse();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(onB).as("the image B made is gone").doesNotExist());
        assertThat(a.root().resolve("run/qemu/" + GUEST + "/nbd-out")).doesNotExist();
        assertThat(b.root().resolve("run/qemu/" + GUEST + "/nbd-in")).doesNotExist();
        hosts.assertNothingStray();
        whole.assertStayed(StateReason.RUNNING_MIGRATED);
    }

    /** The guest's migratable XML on {@code from} with its disk at {@code there}, in a file for {@code --xml}. */
    private Path destinationXml(VirshHost from, Path here, Path there) throws Exception {
        String xml = from.virsh().run("dumpxml", "--migratable", GUEST).out();
        assertThat(xml).contains("file='" + here + "'");
        Path file = hosts.base.resolve(there.getFileName() + ".xml");
        Files.writeString(file, xml.replace("file='" + here + "'", "file='" + there + "'"));
        return file;
    }
}
