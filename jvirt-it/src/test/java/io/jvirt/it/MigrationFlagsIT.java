package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainState;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.JobStatsFlags;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.MigrationBegin;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.MigrationPrepared;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * The migration flags and parameters a user combines, each shown on real QEMU with a small guest: non-live,
 * paused arrival, rename, xbzrle compression, parallel connections, a chosen migration URI, a port that another
 * program holds, and offline migration of a definition.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
@ExtendWith(NoStrayQemu.class)
class MigrationFlagsIT implements NoStrayQemu.Accounted {
    private static final String GUEST = "flagged";

    private TwoHosts hosts;
    private SerialLog serial;
    private Connection a;
    private Connection b;
    /** The first of three consecutive ports that were free at set-up: the hosts' migration port range. */
    private int portMin;

    @BeforeAll
    void setUp() throws Exception {
        portMin = freeRange(3);
        System.out.printf("[it] migration ports %d-%d%n", portMin, portMin + 2);
        hosts = new TwoHosts(
                "flags", "migration_port_min = " + portMin + "\nmigration_port_max = " + (portMin + 2) + "\n");
        a = hosts.a;
        b = hosts.b;
        serial = hosts.boot(GUEST, hosts.hostA.guest(GUEST).dirtyMibps(20));
    }

    @Override
    public void assertNoStrayQemu() throws Exception {
        hosts.assertNoStrayQemu();
    }

    @AfterAll
    void tearDown() throws Exception {
        if (hosts != null) {
            hosts.close();
        }
    }

    private static List<TypedParam> params(TypedParam... p) {
        return new ArrayList<>(List.of(p));
    }

    @Test
    @Order(10)
    void nonLiveMigrationPausesFirstAndTheGuestRunsOnArrival() {
        GuestIntegrity check = hosts.check(serial, GUEST, a);
        TwoHosts.migrate(a, b, GUEST, List.of(), 0);
        hosts.assertArrived(check, a, b).andOn(hosts.guestHost(a), StateReason.SHUTOFF_MIGRATED);
    }

    @Test
    @Order(20)
    void pausedFlagLeavesTheGuestPausedOnArrival() {
        GuestIntegrity check = hosts.check(serial, GUEST, b);
        TwoHosts.migrate(b, a, GUEST, List.of(), MigrateFlags.LIVE | MigrateFlags.PAUSED);
        DomainRef ref = a.lookupByName(GUEST);
        assertThat(a.state(ref).reason()).isEqualTo(StateReason.PAUSED_USER);
        a.resume(ref);
        check.assertMovedTo(hosts.guestHost(a), StateReason.RUNNING_UNPAUSED).andGoneFrom(hosts.guestHost(b));
    }

    @Test
    @Order(30)
    void renamedCompressedMigrationAndBack() {
        GuestIntegrity check = hosts.check(serial, GUEST, a);
        TwoHosts.migrate(
                a,
                b,
                GUEST,
                params(
                        TypedParam.string(MigrateParams.DEST_NAME, "renamed"),
                        TypedParam.string(MigrateParams.COMPRESSION, "xbzrle"),
                        TypedParam.ullong(MigrateParams.COMPRESSION_XBZRLE_CACHE, 64L << 20)),
                MigrateFlags.LIVE | MigrateFlags.COMPRESSED);
        check.assertMovedTo(hosts.guestHost(b), "renamed", StateReason.RUNNING_MIGRATED)
                .andOn(hosts.guestHost(a), StateReason.SHUTOFF_MIGRATED);
        List<TypedParam> stats = a.jobStats(a.lookupByName(GUEST), JobStatsFlags.COMPLETED);
        assertThat(TypedParam.find(stats, "compression_cache"))
                .as("xbzrle was on")
                .contains(64L << 20);

        check = GuestIntegrity.before(serial, "renamed", hosts.guestHost(b));
        TwoHosts.migrate(b, a, "renamed", params(TypedParam.string(MigrateParams.DEST_NAME, GUEST)), MigrateFlags.LIVE);
        check.assertMovedTo(hosts.guestHost(a), GUEST, StateReason.RUNNING_MIGRATED)
                .andGoneFrom(hosts.guestHost(b));
    }

    @Test
    @Order(40)
    void parallelConnectionsToAChosenUri() throws Exception {
        GuestIntegrity check = hosts.check(serial, GUEST, a);
        int port = freeRange(1);
        // Capped above the guest's 20 MiB/s so it converges, and low enough that the test samples QEMU's
        // multifd-bytes (query-migrate on the source) while the transfer runs.
        CompletableFuture<DomainRef> migration = TwoHosts.migrateAsync(
                a,
                b,
                GUEST,
                params(
                        TypedParam.integer(MigrateParams.PARALLEL_CONNECTIONS, 3),
                        TypedParam.string(MigrateParams.URI, "tcp:127.0.0.1:" + port),
                        TypedParam.ullong(MigrateParams.BANDWIDTH, 48)),
                MigrateFlags.LIVE | MigrateFlags.PARALLEL);
        long multifd = maxWhileMigrating(migration, a, "\"multifd-bytes\":(\\d+)");
        migration.join();
        System.out.printf("[it] multifd carried %d bytes (seen during the migration)%n", multifd);
        assertThat(multifd)
                .as("QEMU's multifd-bytes during a --parallel migration")
                .isGreaterThan(1L << 20);
        hosts.assertArrived(check, a, b);
        check = hosts.check(serial, GUEST, b);
        TwoHosts.migrate(
                b, a, GUEST, params(TypedParam.string(MigrateParams.LISTEN_ADDRESS, "127.0.0.1")), MigrateFlags.LIVE);
        hosts.assertArrived(check, b, a);
    }

    @Test
    @Order(50)
    void aPortAnotherProgramHoldsIsSkipped() throws Exception {
        GuestIntegrity check = hosts.check(serial, GUEST, a);
        StateReason reason = a.state(a.lookupByName(GUEST)).reason();
        try (ServerSocket _ = bind(portMin);
                ServerSocket _ = bind(portMin + 1)) {
            DomainRef ref = a.lookupByName(GUEST);
            long flags = MigrateFlags.LIVE | MigrateFlags.CHANGE_PROTECTION;
            MigrationBegin begin = MigrationPhases.of(a).migrateBegin3(ref, List.of(), flags);
            List<TypedParam> p = params(
                    TypedParam.string(MigrateParams.DEST_XML, begin.domainXml()),
                    TypedParam.string(MigrateParams.DEST_NAME, GUEST));
            MigrationPrepared prepared = MigrationPhases.of(b).migratePrepare3(p, begin.cookie(), MigrateFlags.LIVE);
            assertThat(prepared.uri())
                    .as("the held ports %d and %d were skipped", portMin, portMin + 1)
                    .isEqualTo("tcp:127.0.0.1:" + (portMin + 2));
            assertThatThrownBy(() -> MigrationPhases.of(b).migrateFinish3(p, null, MigrateFlags.LIVE, true))
                    .satisfies(e -> TwoHosts.assertVirtError(
                            e,
                            ErrorCode.MIGRATE_FINISH_OK,
                            "incoming migration of domain '" + GUEST + "' was cancelled"));
            MigrationPhases.of(a).migrateConfirm3(ref, p, null, flags, true);
            assertThat(a.state(ref).state()).isEqualTo(DomainState.RUNNING);
        }
        hosts.assertNothingOn(b, hosts.hostB, GUEST);
        check.assertStayed(reason).andGoneFrom(hosts.guestHost(b));
    }

    @Test
    @Order(60)
    void offlineMigrationMovesOnlyTheDefinition() {
        String xml = hosts.hostA.guest("cold").toXml();
        a.defineXml(xml);
        TwoHosts.migrate(
                a,
                b,
                "cold",
                List.of(),
                MigrateFlags.OFFLINE | MigrateFlags.PERSIST_DEST | MigrateFlags.UNDEFINE_SOURCE);
        DomainRef moved = b.lookupByName("cold");
        assertThat(b.isPersistent(moved)).isTrue();
        assertThat(b.isActive(moved)).isFalse();
        assertThatThrownBy(() -> a.lookupByName("cold"))
                .satisfies(e -> TwoHosts.assertVirtError(e, ErrorCode.NO_DOMAIN, "cold"));
        assertThatThrownBy(() -> TwoHosts.migrate(b, a, "cold", List.of(), MigrateFlags.OFFLINE))
                .satisfies(e -> TwoHosts.assertVirtError(e, ErrorCode.OPERATION_INVALID, "persistent"));
    }

    /**
     * The first of {@code count} consecutive ports that are free now, asked of the OS (bind port 0) rather than
     * fixed, so parallel builds on this machine do not collide.
     */
    private static int freeRange(int count) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            List<ServerSocket> held = new ArrayList<>();
            try {
                held.add(bind(0));
                int first = held.getFirst().getLocalPort();
                if (first + count - 1 > 65535) {
                    continue;
                }
                for (int i = 1; i < count; i++) {
                    held.add(bind(first + i));
                }
                return first;
            } catch (java.net.BindException taken) {
                // the next port was taken: ask again
            } finally {
                for (ServerSocket s : held) {
                    s.close();
                }
            }
        }
        throw new AssertionError("no " + count + " consecutive free ports after 50 attempts");
    }

    /**
     * The largest value of {@code field} (a regex with one number group) in QEMU's query-migrate on {@code src}
     * seen while {@code migration} runs; sampled until it is above 0 or the migration ended.
     */
    private static long maxWhileMigrating(CompletableFuture<?> migration, Connection src, String field) {
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(field);
        java.util.concurrent.atomic.AtomicLong max = new java.util.concurrent.atomic.AtomicLong();
        await().atMost(java.time.Duration.ofMinutes(3))
                .pollInterval(java.time.Duration.ofMillis(50))
                .until(() -> {
                    if (migration.isDone()) {
                        return true;
                    }
                    try {
                        String reply =
                                src.qemuMonitorCommand(src.lookupByName(GUEST), "{\"execute\":\"query-migrate\"}", 0);
                        java.util.regex.Matcher m = pattern.matcher(reply);
                        if (m.find()) {
                            max.accumulateAndGet(Long.parseLong(m.group(1)), Math::max);
                        }
                    } catch (VirtException ended) {
                        // the QEMU left between two looks: the values seen so far stand
                    }
                    return max.get() > (1L << 20);
                });
        return max.get();
    }

    private static ServerSocket bind(int port) throws Exception {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }
}
