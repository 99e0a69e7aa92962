package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.StateReason;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code jvirt migrate} as a user runs it, one process driving two embedded hosts client-managed: a live migration
 * with the progress display, and one that cannot converge under a bandwidth cap, which the note says and the
 * {@code --timeout --timeout-suspend} deadline finishes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
@ExtendWith(NoStrayQemu.class)
class CliMigrateIT implements NoStrayQemu.Accounted {
    private static final String GUEST = "climig";

    private TestHost hostA;
    private TestHost hostB;
    private SerialLog serial;

    @BeforeAll
    void setUp() throws Exception {
        assertThat(JvirtJar.JAR).exists();
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

    @Override
    public void assertNoStrayQemu() throws Exception {
        try (Connection a = hostA.open();
                Connection b = hostB.open()) {
            hostA.assertNoStrayQemu(a);
            hostB.assertNoStrayQemu(b);
        }
    }

    /** The integrity check of the guest on {@code from}, taken before a CLI process moves it. */
    private GuestIntegrity check(TestHost from, String label) {
        try (Connection c = from.open()) {
            return GuestIntegrity.before(serial, GUEST, from.guestHost(label, c));
        }
    }

    /**
     * Once the CLI process has exited: the guest moved from {@code src} to {@code dst} whole, running (migrated)
     * there, and left {@code src}.
     */
    private void assertArrived(GuestIntegrity check, TestHost src, TestHost dst) {
        try (Connection s = src.open();
                Connection d = dst.open()) {
            check.assertMovedTo(dst.guestHost(dst == hostA ? "A" : "B", d), StateReason.RUNNING_MIGRATED)
                    .andLeft(src.guestHost(src == hostA ? "A" : "B", s));
        }
    }

    /** Connected UNIX sockets bound to {@code path} (the server side of accepted connections), from /proc/net/unix. */
    private static int connectedTo(String path) {
        try {
            int n = 0;
            for (String line : Files.readAllLines(Path.of("/proc/net/unix"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 8 && f[5].equals("03") && f[7].equals(path)) {
                    n++;
                }
            }
            return n;
        } catch (IOException e) {
            return 0;
        }
    }

    @Test
    @Order(10)
    void liveMigrationWithProgress() throws Exception {
        GuestIntegrity check = check(hostA, "A");
        JvirtJar.Result r = JvirtJar.run(hostA, "migrate", "--live", "--verbose", GUEST, hostB.uri());
        System.out.printf("[it] jvirt migrate output:%n%s%s%n", r.out(), r.err());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err())
                .as("virsh draws progress on stderr")
                .contains("Migration: [100.00 %]")
                .contains("Migration completed in");
        assertThat(JvirtJar.run(hostB, "domstate", "--reason", GUEST).out().strip())
                .isEqualTo("running (migrated)");
        assertThat(JvirtJar.run(hostA, "domstate", "--reason", GUEST).out().strip())
                .isEqualTo("shut off (migrated)");
        assertArrived(check, hostA, hostB);
    }

    @Test
    @Order(20)
    void anUnconvergedMigrationIsNotedAndTheTimeoutSuspendFinishesIt() throws Exception {
        GuestIntegrity check = check(hostB, "B");
        JvirtJar.Result r = JvirtJar.run(
                hostB,
                "migrate",
                "--live",
                "--verbose",
                "--bandwidth",
                "12",
                "--timeout",
                "16",
                "--timeout-suspend",
                GUEST,
                hostA.uri());
        System.out.printf("[it] jvirt migrate --timeout output:%n%s%s%n", r.out(), r.err());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("not converging");
        assertThat(JvirtJar.run(hostA, "domstate", "--reason", GUEST).out().strip())
                .isEqualTo("running (migrated)");
        assertArrived(check, hostB, hostA);
    }

    @Test
    @Order(30)
    void peerToPeerTunnelledWithProgress() throws Exception {
        GuestIntegrity check = check(hostA, "A");
        JvirtJar.Result r =
                JvirtJar.run(hostA, "migrate", "--live", "--p2p", "--tunnelled", "--verbose", GUEST, hostB.uri());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("Migration: [100.00 %]", "Migration completed in");
        assertThat(JvirtJar.run(hostB, "domstate", "--reason", GUEST).out().strip())
                .isEqualTo("running (migrated)");
        assertArrived(check, hostA, hostB);
    }

    @Test
    @Order(40)
    void peerToPeerTunnelledOverMultifdChannelsWithProgress() throws Exception {
        // Both hosts are in-process here, so each channel is read by the destination's pump, not spliced.
        GuestIntegrity check = check(hostB, "B");
        // The CLI process holds both roots, so the test cannot ask QEMU for multifd-bytes while it runs, and QEMU's
        // multifd capability is switched off again once the migration ends. What can be watched from outside is
        // the destination QEMU's tunnel socket: each channel jvirt relays is one connection QEMU accepted there.
        String tunnel = hostA.root().resolve("run/qemu/" + GUEST + "/tunnel-in").toString();
        java.util.concurrent.atomic.AtomicInteger channels = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread sampler = Thread.ofPlatform().name("tunnel-sampler").start(() -> {
            while (!done.get()) {
                channels.accumulateAndGet(connectedTo(tunnel), Math::max);
                try {
                    Thread.sleep(20); // a sampling period: /proc/net/unix has no event to wait on
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        JvirtJar.Result r;
        try {
            r = JvirtJar.run(
                    hostB,
                    "migrate",
                    "--live",
                    "--p2p",
                    "--tunnelled",
                    "--parallel-connections",
                    "2",
                    "--verbose",
                    GUEST,
                    hostA.uri());
        } finally {
            done.set(true);
            sampler.join();
        }
        assertThat(r.exit()).as(r.err()).isZero();
        // The guest was transient on B, so nothing is left there to read the completed job's summary from.
        assertThat(r.err()).contains("Migration: [100.00 %]");
        System.out.printf("[it] destination QEMU accepted %d tunnel connections at once%n", channels.get());
        assertThat(channels.get())
                .as("the main channel and 2 multifd channels into %s", tunnel)
                .isEqualTo(3);
        assertThat(JvirtJar.run(hostA, "domstate", "--reason", GUEST).out().strip())
                .isEqualTo("running (migrated)");
        assertThat(JvirtJar.run(hostB, "domstate", GUEST).exit())
                .as("gone from B")
                .isNotZero();
        assertArrived(check, hostB, hostA);
    }
}
