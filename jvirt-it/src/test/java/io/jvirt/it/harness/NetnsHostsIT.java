package io.jvirt.it.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.Connections;
import io.jvirt.api.StateReason;
import io.jvirt.guest.GuestBuilder;
import io.jvirt.guest.GuestHost;
import io.jvirt.guest.GuestImage;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.GuestXml;
import io.jvirt.guest.SerialLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two jvirtds in two network namespaces joined by a veth ({@link HostSet#netns}), keepalive 1 s × 3. virsh runs in
 * the root namespace and reaches both daemons by their UNIX sockets; the migration stream goes from QEMU in
 * namespace a to QEMU in namespace b over the veth (each daemon's migration_address is its veth address), so
 * cutting the link cuts exactly the migration. Needs root (fails otherwise: CI runs as root).
 */
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class NetnsHostsIT {
    private static final Pattern PROCESSED = Pattern.compile("Data processed:\\s+([0-9.]+) (KiB|MiB|GiB)");
    private static GuestImage image;

    private HostSet hosts;
    private Virsh a;
    private Virsh b;
    private Connection connA;
    private Connection connB;

    @BeforeAll
    static void needsRoot() throws IOException {
        // CI runs as root: without it this test would not run at all, which must not pass silently.
        assertThat(System.getProperty("user.name"))
                .as("network namespaces need root")
                .isEqualTo("root");
        image = GuestBuilder.ensureBuilt();
    }

    @BeforeEach
    void startHosts() throws IOException {
        hosts = HostSet.netns(HostOptions.defaults().withKeepalive(1, 3));
        a = new Virsh(hosts.a().unixUri());
        b = new Virsh(hosts.b().unixUri());
        connA = Connections.open(hosts.a().unixUri());
        connB = Connections.open(hosts.b().unixUri());
    }

    private GuestHost hostA() {
        return new GuestHost("a", connA, hosts.a().root());
    }

    private GuestHost hostB() {
        return new GuestHost("b", connB, hosts.b().root());
    }

    @AfterEach
    void removeHosts() throws IOException {
        connA.close();
        connB.close();
        List<String> namespaces = hosts.namespaces();
        Path base = hosts.base();
        List<Long> daemons = hosts.hosts().stream().map(DaemonHost::pid).toList();
        hosts.close();
        assertThat(Shell.run(List.of("ip", "netns", "list"))).doesNotContain(namespaces);
        assertThat(base).doesNotExist();
        assertThat(daemons).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isEmpty());
    }

    @Test
    void liveMigrationCrossesTheVethAndTheGuestGoesOn() throws Exception {
        assertThat(hosts.a().address()).isNotEqualTo(hosts.b().address()).startsWith("10.231.");
        SerialLog serial = boot("g1", 40);
        GuestIntegrity check = GuestIntegrity.before(serial, "g1", hostA());
        long received = hosts.linkBytesReceived("b");

        Virsh.Result moved = a.run("migrate", "--live", "g1", hosts.b().unixUri());

        assertThat(moved.exit()).as(moved.err()).isZero();
        assertThat(b.run("domstate", "--reason", "g1").out().strip()).isEqualTo("running (migrated)");
        assertThat(a.run("domstate", "--reason", "g1").out().strip()).isEqualTo("shut off (migrated)");
        assertThat(hosts.linkBytesReceived("b") - received)
                .as("the guest's 64 MiB crossed the veth")
                .isGreaterThan(64L << 20);
        check.assertMovedTo(hostB(), StateReason.RUNNING_MIGRATED).andOn(hostA(), StateReason.SHUTOFF_MIGRATED);
    }

    @Test
    void linkCutMidTransferLeavesTheGuestRunningOnTheSource() throws Exception {
        SerialLog serial = boot("g2", 20);
        GuestIntegrity check = GuestIntegrity.before(serial, "g2", hostA());
        hosts.limitBandwidth(40); // 5 MB/s: the 128 MiB fill takes about 25 s, time enough to cut
        Virsh.Running migration = a.start("migrate", "--live", "g2", hosts.b().unixUri());
        await().atMost(Duration.ofSeconds(60)).until(() -> processedMiB(a, "g2") > 4);

        hosts.cutLink();
        // Client-managed: virsh talks to both daemons over UNIX sockets, so no keepalive sees the link; QEMU's
        // stream just stalls (TCP retries for many minutes). The user gives up on it, as they would.
        assertThat(migration.onExit()).isNotDone();
        assertThat(a.run("domjobabort", "g2").exit()).isZero();
        Virsh.Result failed = migration.await(Duration.ofSeconds(60));

        assertThat(failed.exit()).isNotZero();
        assertThat(failed.err())
                .as("virsh shows libvirt's error")
                .contains("error: operation aborted: job 'migration out' canceled by client");
        assertThat(b.run("list", "--all").out()).doesNotContain("g2");
        assertThat(hosts.b().qemuPids()).isEmpty();
        check.assertStayed(StateReason.RUNNING_BOOTED).andGoneFrom(hostB());

        hosts.restoreLink();
        hosts.limitBandwidth(4000);
        check = GuestIntegrity.before(serial, "g2", hostA());
        Virsh.Result retried = a.run("migrate", "--live", "g2", hosts.b().unixUri());
        assertThat(retried.exit())
                .as("after the link is back: " + retried.err())
                .isZero();
        check.assertMovedTo(hostB(), StateReason.RUNNING_MIGRATED).andOn(hostA(), StateReason.SHUTOFF_MIGRATED);
    }

    @Test
    void linkCutDuringPeerToPeerIsNoticedWithinTheKeepaliveWindow() throws Exception {
        SerialLog serial = boot("g3", 20);
        GuestIntegrity check = GuestIntegrity.before(serial, "g3", hostA());
        hosts.limitBandwidth(40);
        // jvirt reads the peer connection's keepalive from the destination URI, as its remote client does.
        String dst = hosts.b().tcpUri() + "?keepalive_interval=1&keepalive_count=3";
        Virsh.Running migration = a.start("migrate", "--live", "--p2p", "g3", dst);
        await().atMost(Duration.ofSeconds(60)).until(() -> migration.onExit().isDone() || processedMiB(a, "g3") > 4);
        if (migration.onExit().isDone()) {
            throw new AssertionError("p2p migration ended before any data moved: "
                    + migration.await(Duration.ofSeconds(1)).err());
        }

        hosts.cutLink();
        // keepalive 1 s × 3 on the source's connection to b: it must give up by itself, no abort.
        long cut = System.nanoTime();
        Virsh.Result failed = migration.await(Duration.ofSeconds(30));
        System.out.printf(
                "[it] p2p noticed the cut link after %.1f s: %s%n",
                (System.nanoTime() - cut) / 1e9, failed.err().strip());

        assertThat(failed.exit()).isNotZero();
        assertThat(failed.err())
                .as("virsh shows libvirt's error")
                .contains("error: operation failed: Lost connection to destination host");
        // b lost the source's connection too (its own keepalive): it ends the half-arrived guest by itself.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(b.run("list", "--all").out()).doesNotContain("g3");
            assertThat(hosts.b().qemuPids()).isEmpty();
        });
        check.assertStayed(StateReason.RUNNING_BOOTED).andGoneFrom(hostB());
        hosts.restoreLink();
    }

    /** Defines and starts a 256 MiB test guest (128 MiB filled) on host a; waits for its workload. */
    private SerialLog boot(String name, int dirtyMibps) throws IOException {
        Path serialFile = hosts.base().resolve(name + ".serial.log");
        Path xml = hosts.base().resolve(name + ".xml");
        Files.writeString(
                xml,
                GuestXml.named(name)
                        .memoryMiB(256)
                        .fillMiB(128)
                        .dirtyMibps(dirtyMibps)
                        .serialFile(serialFile)
                        .image(image)
                        .toXml());
        assertThat(a.run("define", xml.toString()).exit()).isZero();
        Virsh.Result started = a.run("start", name);
        assertThat(started.exit()).as(started.err()).isZero();
        SerialLog serial = new SerialLog(serialFile);
        serial.awaitReady(Duration.ofSeconds(120));
        return serial;
    }

    /** MiB the running job on {@code virsh}'s host has sent so far (0 when no job reports it yet). */
    private static double processedMiB(Virsh virsh, String name) throws IOException {
        Matcher m = PROCESSED.matcher(virsh.run("domjobinfo", name).out());
        if (!m.find()) {
            return 0;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "KiB" -> v / 1024;
            case "GiB" -> v * 1024;
            default -> v;
        };
    }
}
