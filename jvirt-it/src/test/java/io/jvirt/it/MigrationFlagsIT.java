package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainState;
import io.jvirt.api.JobStatsFlags;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.MigrationBegin;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.MigrationPrepared;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.guest.GuestTick;
import io.jvirt.guest.SerialLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The migration flags and parameters a user combines, each shown on real QEMU with a small guest: non-live,
 * paused arrival, rename, xbzrle compression, parallel connections, a chosen migration URI, a port that another
 * program holds, and offline migration of a definition.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationFlagsIT {
    private static final String GUEST = "flagged";

    private TwoHosts hosts;
    private SerialLog serial;
    private Connection a;
    private Connection b;

    @BeforeAll
    void setUp() throws Exception {
        hosts = new TwoHosts("flags");
        a = hosts.a;
        b = hosts.b;
        serial = hosts.boot(GUEST, hosts.hostA.guest(GUEST).dirtyMibps(20));
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
        GuestTick before = serial.latest().orElseThrow();
        TwoHosts.migrate(a, b, GUEST, List.of(), 0);
        TwoHosts.assertArrived(a, b, GUEST, serial, before);
    }

    @Test
    @Order(20)
    void pausedFlagLeavesTheGuestPausedOnArrival() {
        TwoHosts.migrate(b, a, GUEST, List.of(), MigrateFlags.LIVE | MigrateFlags.PAUSED);
        DomainRef ref = a.lookupByName(GUEST);
        assertThat(a.state(ref).reason()).isEqualTo(StateReason.PAUSED_USER);
        TwoHosts.assertGone(b, GUEST);
        long frozen = serial.latest().orElseThrow().tick();
        a.resume(ref);
        assertThat(serial.awaitTickAfter(frozen, TwoHosts.TICK).patternOk()).isTrue();
    }

    @Test
    @Order(30)
    void renamedCompressedMigrationAndBack() {
        GuestTick before = serial.latest().orElseThrow();
        TwoHosts.migrate(a, b, GUEST, params(TypedParam.string(MigrateParams.DEST_NAME, "renamed"),
                TypedParam.string(MigrateParams.COMPRESSION, "xbzrle"),
                TypedParam.ullong(MigrateParams.COMPRESSION_XBZRLE_CACHE, 64L << 20)),
                MigrateFlags.LIVE | MigrateFlags.COMPRESSED);
        assertThat(b.state(b.lookupByName("renamed")).reason()).isEqualTo(StateReason.RUNNING_MIGRATED);
        TwoHosts.assertGone(a, GUEST);
        List<TypedParam> stats = a.jobStats(a.lookupByName(GUEST), JobStatsFlags.COMPLETED);
        assertThat(TypedParam.find(stats, "compression_cache")).as("xbzrle was on").contains(64L << 20);
        assertThat(serial.awaitTickAfter(before.tick(), TwoHosts.TICK).patternOk()).isTrue();

        before = serial.latest().orElseThrow();
        TwoHosts.migrate(b, a, "renamed", params(TypedParam.string(MigrateParams.DEST_NAME, GUEST)),
                MigrateFlags.LIVE);
        TwoHosts.assertArrived(b, a, GUEST, serial, before);
    }

    @Test
    @Order(40)
    void parallelConnectionsToAChosenUri() {
        GuestTick before = serial.latest().orElseThrow();
        TwoHosts.migrate(a, b, GUEST, params(TypedParam.integer(MigrateParams.PARALLEL_CONNECTIONS, 3),
                TypedParam.string(MigrateParams.URI, "tcp:127.0.0.1:49207")), MigrateFlags.LIVE | MigrateFlags.PARALLEL);
        TwoHosts.assertArrived(a, b, GUEST, serial, before);
        before = serial.latest().orElseThrow();
        TwoHosts.migrate(b, a, GUEST, params(TypedParam.string(MigrateParams.LISTEN_ADDRESS, "127.0.0.1")),
                MigrateFlags.LIVE);
        TwoHosts.assertArrived(b, a, GUEST, serial, before);
    }

    @Test
    @Order(50)
    void aPortAnotherProgramHoldsIsSkipped() throws Exception {
        try (ServerSocket _ = bind(49152); ServerSocket _ = bind(49153)) {
            DomainRef ref = a.lookupByName(GUEST);
            long flags = MigrateFlags.LIVE | MigrateFlags.CHANGE_PROTECTION;
            MigrationBegin begin = MigrationPhases.of(a).migrateBegin3(ref, List.of(), flags);
            List<TypedParam> p = params(TypedParam.string(MigrateParams.DEST_XML, begin.domainXml()),
                    TypedParam.string(MigrateParams.DEST_NAME, GUEST));
            MigrationPrepared prepared = MigrationPhases.of(b).migratePrepare3(p, begin.cookie(), MigrateFlags.LIVE);
            assertThat(prepared.uri()).startsWith("tcp:127.0.0.1:").doesNotEndWith(":49152").doesNotEndWith(":49153");
            assertThatThrownBy(() -> MigrationPhases.of(b).migrateFinish3(p, null, MigrateFlags.LIVE, true))
                    .isInstanceOf(VirtException.class);
            MigrationPhases.of(a).migrateConfirm3(ref, p, null, flags, true);
            assertThat(a.state(ref).state()).isEqualTo(DomainState.RUNNING);
        }
        hosts.assertNothingOn(b, hosts.hostB, GUEST);
    }

    @Test
    @Order(60)
    void offlineMigrationMovesOnlyTheDefinition() {
        String xml = hosts.hostA.guest("cold").toXml();
        a.defineXml(xml);
        TwoHosts.migrate(a, b, "cold", List.of(),
                MigrateFlags.OFFLINE | MigrateFlags.PERSIST_DEST | MigrateFlags.UNDEFINE_SOURCE);
        DomainRef moved = b.lookupByName("cold");
        assertThat(b.isPersistent(moved)).isTrue();
        assertThat(b.isActive(moved)).isFalse();
        assertThatThrownBy(() -> a.lookupByName("cold")).isInstanceOf(VirtException.class);
        assertThatThrownBy(() -> TwoHosts.migrate(b, a, "cold", List.of(), MigrateFlags.OFFLINE))
                .isInstanceOfSatisfying(VirtException.class, e -> assertThat(e.getMessage()).contains("persistent"));
    }

    private static ServerSocket bind(int port) throws Exception {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }
}
