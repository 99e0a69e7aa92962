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
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage through the tunnel, refused: a peer-to-peer source refuses tunnelled storage migration with libvirt's
 * error towards a destination that does not announce jvirt's feature (a libvirtd, or a v2 one), before the
 * destination is asked anything; and the destination's driver refuses jvirt's NBD call for a domain it does not
 * have or one that receives no storage through the tunnel, closing both of its channels unused.
 */
class TunnelStorageRefusalTest {
    private static final long TUNNELLED_STORAGE =
            MigrateFlags.LIVE | MigrateFlags.PEER2PEER | MigrateFlags.TUNNELLED | MigrateFlags.NON_SHARED_DISK;
    private static final String LIBVIRT_REFUSAL =
            "migration of non-shared storage is not supported with tunnelled migration and this QEMU";

    @TempDir
    Path dir;

    private final UUID uuid = UUID.randomUUID();
    private final String peerName = "peer-" + UUID.randomUUID();
    private StandInDriver guest;
    private Connection conn;
    private MigrationPhases phases;
    private DomainRef ref;
    private RecordingPeer peer;

    @BeforeEach
    void open() throws Exception {
        guest = StandInDriver.open(dir, uuid, monitor -> {
            monitor.expect("query-migrate-capabilities")
                    .reply(List.of(cap("xbzrle"), cap("events"), cap("return-path")))
                    .repeatedly();
            monitor.expect("query-migrate-parameters")
                    .reply(Map.of("max-bandwidth", 134_217_728, "downtime-limit", 300))
                    .repeatedly();
        });
        conn = guest.conn();
        phases = MigrationPhases.of(conn);
        ref = guest.ref();
    }

    @AfterEach
    void close() throws Exception {
        if (peer != null) {
            peer.forget();
        }
        guest.close();
    }

    @Test
    void theDriverAnnouncesTheExtension() {
        assertThat(conn.supportsFeature(DriverFeature.JVIRT_TUNNEL_STORAGE)).isTrue();
    }

    @Test
    void theOptionsTakeTunnelledStorageOnlyWhenTheDestinationCarriesIt() {
        MigrationOptions taken =
                MigrationOptions.parse(List.of(), TUNNELLED_STORAGE, MigrationOptions.Side.SOURCE, true);
        assertThat(taken.tunnelled()).isTrue();
        assertThat(taken.copiesStorage()).isTrue();
        assertThatThrownBy(() -> MigrationOptions.parse(List.of(), TUNNELLED_STORAGE, MigrationOptions.Side.SOURCE))
                .hasMessage("Operation not supported: " + LIBVIRT_REFUSAL);
        assertThat(MigrationOptions.parse(List.of(), TUNNELLED_STORAGE, MigrationOptions.Side.DESTINATION)
                        .copiesStorage())
                .as("a destination takes what its source sent")
                .isTrue();
    }

    @Test
    void aDestinationWithoutTheFeatureGetsLibvirtsRefusalBeforeItIsAsked() {
        peer = RecordingPeer.register(
                peerName,
                Set.of(
                        DriverFeature.MIGRATION_P2P,
                        DriverFeature.MIGRATION_V2,
                        DriverFeature.MIGRATION_V3,
                        DriverFeature.MIGRATION_PARAMS,
                        DriverFeature.JVIRT_TUNNEL_CHANNELS),
                "g1",
                uuid);

        assertRefused(() -> phases.migratePerform3(ref, peer.uri(), List.of(), null, TUNNELLED_STORAGE));
    }

    @Test
    void aVersion2DestinationGetsLibvirtsRefusalToo() {
        peer = RecordingPeer.register(
                peerName, Set.of(DriverFeature.MIGRATION_P2P, DriverFeature.MIGRATION_V2), "g1", uuid);

        assertRefused(() -> phases.migratePerform3(ref, peer.uri(), List.of(), null, TUNNELLED_STORAGE));
    }

    private void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(VirtException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_UNSUPPORTED);
            assertThat(e.getMessage()).isEqualTo("Operation not supported: " + LIBVIRT_REFUSAL);
        });
        assertThat(peer.callNames()).isEmpty();
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
        assertThat(conn.jobInfo(ref)).isEqualTo(JobInfo.NONE);
    }

    @Test
    void anNbdConnectionForAnUnknownDomainIsRefusedAndItsChannelsClosed() {
        Requests requests = new Requests();
        Answers answers = new Answers();
        assertThatThrownBy(() -> phases.migrateTunnelNbd("nosuch", 0, requests, answers))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_DOMAIN));
        assertThat(requests.isOpen()).isFalse();
        assertThat(answers.isOpen()).isFalse();
    }

    @Test
    void anNbdConnectionForADomainNotReceivingStorageIsRefusedAndTheGuestLeftRunning() {
        Requests requests = new Requests();
        Answers answers = new Answers();
        assertThatThrownBy(() -> phases.migrateTunnelNbd("g1", 0, requests, answers))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_INVALID);
                    assertThat(e.getMessage())
                            .contains("domain 'g1' is not receiving storage through a tunnelled migration");
                });
        assertThat(requests.isOpen()).isFalse();
        assertThat(answers.isOpen()).isFalse();
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
    }

    /** Requests nobody should read. */
    private static final class Requests implements ReadableByteChannel {
        private boolean open = true;

        @Override
        public int read(ByteBuffer dst) {
            throw new AssertionError("a refused connection is not read");
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    /** Answers nobody should write. */
    private static final class Answers implements WritableByteChannel {
        private boolean open = true;

        @Override
        public int write(ByteBuffer src) {
            throw new AssertionError("a refused connection gets no answers");
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
