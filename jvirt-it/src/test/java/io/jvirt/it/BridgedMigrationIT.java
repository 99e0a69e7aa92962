package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainState;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.guest.GuestDisk;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.GuestNic;
import io.jvirt.guest.SerialLog;
import io.jvirt.it.harness.PingNamespace;
import io.jvirt.it.harness.Pings;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
 * A guest with a bridged NIC and a disk migrated between two embedded hosts on one bridge the test makes: the
 * destination makes its own tap in Prepare, the source's goes with the source's QEMU; the guest answers pings sent
 * every 10 ms from a network namespace on the bridge before, during and after the migration (the test prints how
 * many were lost), reached on the destination through what QEMU's self-announce taught the bridge (the new tap
 * is closed to flooding during the migration); its disk workload, on a raw file both hosts see (shared storage:
 * no copy), verifies on the destination; a migration that fails leaves no tap on its destination. One boot for
 * the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@ExtendWith(NoStrayQemu.class)
class BridgedMigrationIT implements NoStrayQemu.Accounted {
    private static final String GUEST = "brmig";
    private static final String MAC = "52:54:00:5b:00:01";
    // A private range of its own: the bridge has no address, so only the pinger's namespace routes it.
    private static final String GUEST_ADDRESS = "10.235.0.2";
    private static final String PINGER_ADDRESS = "10.235.0.1/24";
    private static final Duration PING_INTERVAL = Duration.ofMillis(10);
    /** A few MiB/s over a small region, so that two whole verify passes after the migration take seconds. */
    private static final long DISK_MIBPS = 2;

    private static final long DISK_REGION_MIB = 16;
    private static final Pattern TARGET = Pattern.compile("<target dev='(vnet\\d+)'");
    private static final Path SYS_NET = Path.of("/sys/class/net");
    /** Slow enough (64 MiB of pattern at 4 MiB/s) that the test aborts while the transfer runs. */
    private static final List<TypedParam> SLOW = List.of(TypedParam.ullong(MigrateParams.BANDWIDTH, 4));
    /** Over a second of transfer for the test to close the destination's tap to flooding before the switchover. */
    private static final List<TypedParam> CAPPED = List.of(TypedParam.ullong(MigrateParams.BANDWIDTH, 64));

    private final String bridge = "jvbm" + Long.toString(ProcessHandle.current().pid() % 46656, 36);
    private TwoHosts hosts;
    private PingNamespace pinger;
    private SerialLog serial;

    @BeforeAll
    void setUp() throws Exception {
        run("ip", "link", "add", bridge, "type", "bridge");
        run("ip", "link", "set", "dev", bridge, "up");
        pinger = PingNamespace.onBridge(bridge, PINGER_ADDRESS);
        hosts = new TwoHosts("brmig");
        // In host A's root, which host B sees at the same path: the storage both QEMUs share.
        Path disk = hosts.hostA.root().resolve(GUEST + ".raw");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength((DISK_REGION_MIB + 8) << 20); // sparse
        }
        serial = hosts.boot(
                GUEST,
                hosts.hostA
                        .guest(GUEST)
                        .memoryMiB(256)
                        .fillMiB(64)
                        .disk(GuestDisk.file(disk))
                        .diskWorkload(DISK_MIBPS, DISK_REGION_MIB)
                        .nic(GuestNic.bridge(bridge, MAC))
                        .ip(GUEST_ADDRESS + "/24"));
    }

    @AfterAll
    void tearDown() throws Exception {
        try {
            if (hosts != null) {
                hosts.close();
            }
        } finally {
            try {
                if (pinger != null) {
                    pinger.close();
                }
            } finally {
                new ProcessBuilder("ip", "link", "del", bridge).start().waitFor();
            }
        }
    }

    @Override
    public void assertNoStrayQemu() throws Exception {
        hosts.assertNoStrayQemu();
    }

    @Test
    @Order(10)
    void theDestinationMakesItsOwnTapAndTheSourcesGoes() throws Exception {
        DomainRef onA = hosts.a.lookupByName(GUEST);
        String sourceTap = tap(hosts.a.xmlDesc(onA, 0));
        assertOnBridge(sourceTap);
        GuestIntegrity check = hosts.check(serial, GUEST, hosts.a);

        String destTap;
        DomainRef moved;
        Pings.Report pings;
        try (Pings running = pinger.ping(GUEST_ADDRESS, PING_INTERVAL)) {
            long t0 = System.nanoTime();
            long first = running.awaitReply(TwoHosts.TICK); // it answers on A
            System.out.printf("[it] %s answered ping on A in %d ms%n", GUEST, ms(t0));

            long tm = System.nanoTime();
            CompletableFuture<DomainRef> migration =
                    TwoHosts.migrateAsync(hosts.a, hosts.b, GUEST, CAPPED, MigrateFlags.LIVE);
            destTap = await().atMost(TwoHosts.TICK)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> otherTap(sourceTap), Optional::isPresent)
                    .orElseThrow();
            // From here the bridge sends the new tap only frames for a MAC it learned there, so the pings reach the
            // guest on B only once frames of the guest's came out of that tap: QEMU's self-announce right after the
            // switchover (the guest's own ARP probes would teach it too, later and only when due). Flooding after
            // the old tap is gone, which would deliver them without any learning, is ruled out.
            run("bridge", "link", "set", "dev", destTap, "flood", "off", "mcast_flood", "off", "bcast_flood", "off");
            assertThat(hosts.a.state(onA).state())
                    .as(
                            "the guest still runs on A once %s is closed to flooding (else the check of the announce"
                                    + " came too late: the migration needs a lower bandwidth)",
                            destTap)
                    .isEqualTo(DomainState.RUNNING);
            System.out.printf("[it] %s: flooding to %s off %d ms after the migration began%n", GUEST, destTap, ms(tm));

            moved = migration.join();
            hosts.assertArrived(check, hosts.a, hosts.b); // the source QEMU is gone: what answers now is on B
            long t1 = System.nanoTime();
            running.awaitReply(TwoHosts.TICK);
            System.out.printf("[it] %s answered ping on B %d ms after the integrity check%n", GUEST, ms(t1));
            pings = running.stop(first);
        }
        System.out.printf(
                "[it] %s pinged every %d ms across the migration: %d of %d lost, at most %d in a row (~%d ms)%n",
                GUEST,
                PING_INTERVAL.toMillis(),
                pings.lost(),
                pings.sent(),
                pings.longestGap(),
                pings.longestOutage().toMillis());
        assertThat(pings.lost()).as("pings lost of %d", pings.sent()).isLessThan(pings.sent());
        assertThat(fdb()).as("forwarding entries of %s", bridge).contains(MAC + " dev " + destTap + " ");

        assertThat(tap(hosts.b.xmlDesc(moved, 0))).isEqualTo(destTap);
        assertOnBridge(destTap);
        await().atMost(TwoHosts.TICK).until(() -> !Files.exists(SYS_NET.resolve(sourceTap)));
        run("bridge", "link", "set", "dev", destTap, "flood", "on", "mcast_flood", "on", "bcast_flood", "on");
    }

    @Test
    @Order(20)
    void aFailedMigrationLeavesNoTapOnItsDestination() throws Exception {
        String tapOnB = tap(hosts.b.xmlDesc(hosts.b.lookupByName(GUEST), 0));
        CompletableFuture<DomainRef> migration =
                TwoHosts.migrateAsync(hosts.b, hosts.a, GUEST, SLOW, MigrateFlags.LIVE);
        Path statusOnA = hosts.hostA.statusFile(GUEST);
        await().atMost(TwoHosts.TICK)
                .until(() -> Files.exists(statusOnA)
                        && TARGET.matcher(Files.readString(statusOnA)).find());
        String tapOnA = tap(Files.readString(statusOnA));
        assertOnBridge(tapOnA);
        await().atMost(TwoHosts.TICK)
                .until(() -> hosts.b.jobInfo(hosts.b.lookupByName(GUEST)).memProcessed() > 0);

        hosts.b.abortJob(hosts.b.lookupByName(GUEST));

        Throwable failed = catchThrowable(migration::join);
        TwoHosts.assertVirtError(failed, ErrorCode.OPERATION_ABORTED, "canceled by client");
        await().atMost(TwoHosts.TICK).until(() -> !Files.exists(statusOnA));
        await().atMost(TwoHosts.TICK).until(() -> !Files.exists(SYS_NET.resolve(tapOnA)));
        assertThat(hosts.b.state(hosts.b.lookupByName(GUEST)).reason()).isEqualTo(StateReason.RUNNING_MIGRATED);
        assertOnBridge(tapOnB);
    }

    private static String tap(String xml) {
        Matcher m = TARGET.matcher(xml);
        assertThat(m.find()).as("a vnet tap in %s", xml).isTrue();
        return m.group(1);
    }

    private void assertOnBridge(String tap) throws Exception {
        assertThat(Files.readSymbolicLink(SYS_NET.resolve(tap).resolve("master"))
                        .getFileName()
                        .toString())
                .as("bridge of %s", tap)
                .isEqualTo(bridge);
    }

    /** A vnet tap on the bridge other than {@code known}: the destination's, once its Prepare made it. */
    private Optional<String> otherTap(String known) throws IOException {
        try (Stream<Path> ports = Files.list(SYS_NET.resolve(bridge).resolve("brif"))) {
            return ports.map(p -> p.getFileName().toString())
                    .filter(p -> p.startsWith("vnet") && !p.equals(known))
                    .findFirst();
        }
    }

    private String fdb() throws Exception {
        Process p = new ProcessBuilder("bridge", "fdb", "show", "br", bridge)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("bridge fdb show br %s: %s", bridge, out).isZero();
        return out;
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
    }
}
