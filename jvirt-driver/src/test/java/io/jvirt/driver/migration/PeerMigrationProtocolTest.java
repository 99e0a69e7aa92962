package io.jvirt.driver.migration;

import static io.jvirt.driver.migration.StandInDriver.cap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DriverFeature;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.JobInfo;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.driver.root.HostRoot;
import io.jvirt.testing.FakeQmp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which protocol a peer-to-peer source speaks to its destination, and how v2 rolls back: the source is the
 * embedded driver with a stand-in QEMU (a shell carrying the domain's -uuid) and a scripted monitor, the
 * destination a {@link RecordingPeer} that announces chosen features. What is checked is what a user sees: the
 * calls the destination gets, QEMU's commands, the errors, and the source domain's state and job.
 */
class PeerMigrationProtocolTest {
    private static final long P2P = MigrateFlags.LIVE | MigrateFlags.PEER2PEER;
    private static final Set<Integer> V2_ONLY = Set.of(DriverFeature.MIGRATION_P2P, DriverFeature.MIGRATION_V2);
    private static final Set<Integer> V3_PARAMS = Set.of(
            DriverFeature.MIGRATION_P2P,
            DriverFeature.MIGRATION_V2,
            DriverFeature.MIGRATION_V3,
            DriverFeature.MIGRATION_PARAMS);

    @TempDir
    Path dir;

    private final UUID uuid = UUID.randomUUID();
    private final String peerName = "peer-" + UUID.randomUUID();
    private StandInDriver guest;
    private HostRoot root;
    private FakeQmp qmp;
    private Process qemu;
    private Connection conn;
    private MigrationPhases phases;
    private DomainRef ref;
    private RecordingPeer peer;

    @BeforeEach
    void reconnect() throws Exception {
        guest = StandInDriver.open(dir, uuid, monitor -> {
            monitor.expect("query-migrate-capabilities")
                    .reply(List.of(cap("xbzrle"), cap("events"), cap("return-path")))
                    .repeatedly();
            monitor.expect("query-migrate-parameters")
                    .reply(Map.of("max-bandwidth", 134_217_728, "downtime-limit", 300))
                    .repeatedly();
        });
        root = guest.root();
        qmp = guest.qmp();
        qemu = guest.qemu();
        conn = guest.conn();
        phases = MigrationPhases.of(conn);
        ref = guest.ref();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (peer != null) {
            peer.forget();
        }
        guest.close();
    }

    private RecordingPeer peer(Set<Integer> features) {
        peer = RecordingPeer.register(peerName, features, "g1", uuid);
        return peer;
    }

    private void migrationCompletes() {
        qmp.expect("migrate")
                .thenEmit("MIGRATION", Map.of("status", "setup"))
                .thenEmit("MIGRATION", Map.of("status", "active"))
                .thenEmit("MIGRATION", Map.of("status", "completed"));
    }

    private void perform(List<TypedParam> params, long flags) {
        phases.migratePerform3(ref, peer.uri(), params, null, flags);
    }

    private void assertGuestRunsHereWithoutJob(StateReason reason) {
        assertThat(conn.state(ref).reason()).isEqualTo(reason);
        assertThat(conn.jobInfo(ref)).isEqualTo(JobInfo.NONE);
        assertThat(qemu.isAlive()).isTrue();
    }

    @Test
    void aDestinationWithV3AndParamsIsMigratedToWithV3() throws Exception {
        peer(V3_PARAMS);
        migrationCompletes();

        perform(List.of(), P2P);

        assertThat(peer.callNames()).containsExactly("migratePrepare3", "migrateFinish3");
        assertThat(qemu.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_MIGRATED);
    }

    @Test
    void aDestinationWithoutV3GetsPrepare2TheTransferAndFinish2() throws Exception {
        peer(V2_ONLY);
        migrationCompletes();
        AtomicReference<String> statusAtFinish = new AtomicReference<>();
        AtomicReference<StateReason> stateAtFinish = new AtomicReference<>();
        peer.atFinish = () -> {
            stateAtFinish.set(conn.state(ref).reason());
            try {
                statusAtFinish.set(Files.readString(root.statusFile("g1")));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };

        perform(List.of(), P2P);

        assertThat(peer.callNames()).containsExactly("migratePrepare2", "migrateFinish2");
        RecordingPeer.Call prepare = peer.call("migratePrepare2");
        assertThat(prepare.arg(0)).as("uri_in").isNull();
        assertThat(prepare.arg(1)).as("no change protection towards a v2 peer").isEqualTo(P2P);
        assertThat(prepare.arg(2)).as("dname").isNull();
        assertThat((String) prepare.arg(4))
                .contains("<uuid>" + uuid + "</uuid>")
                .contains("<name>g1</name>");
        assertThat(qmp.awaitCommand("migrate", Duration.ofSeconds(5)).arguments())
                .containsEntry("uri", "tcp:127.0.0.1:49999");
        RecordingPeer.Call finish = peer.call("migrateFinish2");
        assertThat(finish.args()).containsExactly("g1", "tcp:127.0.0.1:49999", P2P, false);
        assertThat(stateAtFinish.get())
                .as("the source waits, paused, for Finish2")
                .isEqualTo(StateReason.PAUSED_MIGRATION);
        assertThat(statusAtFinish.get()).contains("async='migration out' phase='perform2'");
        assertThat(qemu.waitFor(10, TimeUnit.SECONDS))
                .as("the source QEMU ends after Finish2")
                .isTrue();
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_MIGRATED);
        assertThat(root.statusFile("g1")).doesNotExist();
    }

    @Test
    void v3WithoutParamsAlsoUsesV2() throws Exception {
        peer(Set.of(DriverFeature.MIGRATION_P2P, DriverFeature.MIGRATION_V2, DriverFeature.MIGRATION_V3));
        migrationCompletes();

        perform(List.of(), P2P);

        assertThat(peer.callNames()).containsExactly("migratePrepare2", "migrateFinish2");
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_MIGRATED);
    }

    @Test
    void nameBandwidthAndUriTravelAsPrepare2Arguments() throws Exception {
        peer(V2_ONLY).uriOut = null;
        migrationCompletes();
        String uri = "tcp:127.0.0.1:49170";

        perform(
                List.of(
                        TypedParam.string(MigrateParams.DEST_NAME, "g1-moved"),
                        TypedParam.ullong(MigrateParams.BANDWIDTH, 64),
                        TypedParam.string(MigrateParams.URI, uri)),
                P2P);

        RecordingPeer.Call prepare = peer.call("migratePrepare2");
        assertThat(prepare.args().subList(0, 4)).containsExactly(uri, P2P, "g1-moved", 64L);
        assertThat(qmp.awaitCommand("migrate", Duration.ofSeconds(5)).arguments())
                .containsEntry("uri", uri);
        assertThat(peer.call("migrateFinish2").args()).containsExactly("g1-moved", uri, P2P, false);
    }

    @Test
    void aDestinationWithoutPeerToPeerIsRefusedBeforeAnythingHappens() {
        peer(Set.of(DriverFeature.MIGRATION_V2, DriverFeature.MIGRATION_V3, DriverFeature.MIGRATION_PARAMS));

        assertFails(
                () -> perform(List.of(), P2P),
                ErrorCode.OPERATION_FAILED,
                "Destination libvirt does not support peer-to-peer migration protocol");

        assertThat(peer.callNames()).isEmpty();
        assertThat(qmp.commandNames()).doesNotContain("migrate");
        assertGuestRunsHereWithoutJob(StateReason.RUNNING_BOOTED);
    }

    @Test
    void extendedParametersAreRefusedForADestinationWithoutParams() {
        peer(V2_ONLY);

        assertFails(
                () -> perform(List.of(TypedParam.string(MigrateParams.GRAPHICS_URI, "spice://h")), P2P),
                ErrorCode.ARGUMENT_UNSUPPORTED,
                "Migration APIs with extensible parameters are not supported");

        assertThat(peer.callNames()).isEmpty();
        assertGuestRunsHereWithoutJob(StateReason.RUNNING_BOOTED);
    }

    @Test
    void postcopyIsRefusedForADestinationWithoutV3() {
        peer(V2_ONLY);

        assertFails(
                () -> perform(List.of(), P2P | io.jvirt.api.MigrateFlags.POSTCOPY),
                ErrorCode.ARGUMENT_UNSUPPORTED,
                "post-copy migration needs migration protocol v3");

        assertThat(peer.callNames()).isEmpty();
        assertThat(qmp.commandNames()).doesNotContain("migrate");
        assertGuestRunsHereWithoutJob(StateReason.RUNNING_BOOTED);
    }

    @Test
    void prepare2FailingLeavesTheGuestRunningHere() {
        peer(V2_ONLY).prepareFailure = VirtException.of(
                ErrorCode.OPERATION_INVALID, io.jvirt.api.ErrorDomain.QEMU, "domain 'g1' is already active");

        assertFails(() -> perform(List.of(), P2P), ErrorCode.OPERATION_INVALID, "domain 'g1' is already active");

        assertThat(peer.callNames())
                .as("nothing arrived, so there is nothing to finish")
                .containsExactly("migratePrepare2");
        assertThat(qmp.commandNames()).doesNotContain("migrate", "stop", "cont");
        assertGuestRunsHereWithoutJob(StateReason.RUNNING_BOOTED);
    }

    @Test
    void aFailedTransferIsReportedAndTheDestinationToldToTearDown() {
        peer(V2_ONLY);
        qmp.expect("migrate")
                .thenEmit("MIGRATION", Map.of("status", "setup"))
                .thenEmit("MIGRATION", Map.of("status", "failed"));
        qmp.expect("query-migrate")
                .reply(Map.of("status", "failed", "error-desc", "Unable to write to socket: Broken pipe"))
                .repeatedly();

        assertFails(
                () -> perform(List.of(), P2P),
                ErrorCode.OPERATION_FAILED,
                "job 'migration out' failed: Unable to write to socket: Broken pipe");

        assertThat(peer.call("migrateFinish2").arg(3)).as("cancelled").isEqualTo(true);
        assertGuestRunsHereWithoutJob(StateReason.RUNNING_BOOTED);
    }

    @Test
    void finish2FailingResumesTheGuestHere() {
        peer(V2_ONLY).finishFailure = VirtException.of(
                ErrorCode.OPERATION_FAILED, io.jvirt.api.ErrorDomain.QEMU, "domain did not start on the destination");
        migrationCompletes();

        assertFails(
                () -> perform(List.of(), P2P), ErrorCode.OPERATION_FAILED, "domain did not start on the destination");

        assertThat(peer.call("migrateFinish2").arg(3)).isEqualTo(false);
        assertThat(qmp.commandNames()).containsSubsequence("migrate", "cont");
        assertGuestRunsHereWithoutJob(StateReason.RUNNING_MIGRATION_CANCELED);
    }

    @Test
    void prepare2WithoutUriCancelsOnTheDestination() {
        peer(V2_ONLY).uriOut = null;

        assertFails(() -> perform(List.of(), P2P), ErrorCode.INTERNAL_ERROR, "domainMigratePrepare2 did not set uri");

        assertThat(peer.callNames()).containsExactly("migratePrepare2", "migrateFinish2");
        assertThat(peer.call("migrateFinish2").arg(3)).isEqualTo(true);
        assertThat(qmp.commandNames()).doesNotContain("migrate");
        assertGuestRunsHereWithoutJob(StateReason.RUNNING_BOOTED);
    }

    @Test
    void tunnelledPrepareFailingClosesTheTunnelAndKeepsTheGuest() {
        peer(V2_ONLY).prepareFailure =
                VirtException.of(ErrorCode.OPERATION_FAILED, io.jvirt.api.ErrorDomain.QEMU, "no room");

        assertFails(() -> perform(List.of(), P2P | MigrateFlags.TUNNELLED), ErrorCode.OPERATION_FAILED, "no room");

        RecordingPeer.Call prepare = peer.call("migratePrepareTunnel");
        assertThat(prepare.arg(0)).isEqualTo(P2P | MigrateFlags.TUNNELLED);
        assertThat(((java.nio.channels.Channel) prepare.arg(4)).isOpen()).isFalse();
        assertThat(peer.callNames()).containsExactly("migratePrepareTunnel");
        assertGuestRunsHereWithoutJob(StateReason.RUNNING_BOOTED);
    }

    @Test
    void version2PerformWithPeerToPeerTakesItsUriAsTheDestinationConnection() throws Exception {
        peer(V3_PARAMS);
        migrationCompletes();

        phases.migratePerform2(ref, peer.uri(), P2P, null, 0);

        assertThat(peer.callNames())
                .as("the destination's features choose the protocol")
                .containsExactly("migratePrepare3", "migrateFinish3");
        assertThat(qemu.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_MIGRATED);
    }

    private static void assertFails(ThrowingCallable call, ErrorCode code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(VirtException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
