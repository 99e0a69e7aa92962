package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.Connections;
import io.jvirt.api.DriverFeature;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * {@code virsh migrate --p2p} (native and tunnelled) between a jvirtd and one configured with the interop/testing
 * switch {@code interop_migration_v2_only}, which poses as a libvirtd without migration v3: towards it the source
 * daemon falls back to v2 (Prepare2 or PrepareTunnel, the transfer, Finish2); back from it virsh itself uses v2's
 * Perform with the destination's URI, and that daemon drives the normal destination with v3. One guest, booted once
 * on A: a v2 migration the destination refuses, and one aborted, leave it running in the same QEMU on A and nothing
 * on B; then it goes there and back natively and tunnelled. Every step is proven with {@link GuestIntegrity}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerMigrationV2IT {
    private static final String NAME = "v2g";

    private TwoDaemons hosts;
    private VirshHost a;
    private VirshHost b;
    private SerialLog log;

    @BeforeAll
    void startDaemons() throws Exception {
        hosts = TwoDaemons.start(
                "jvirtd-p2p-v2-",
                TwoDaemons::config,
                root -> TwoDaemons.config(root).withMigrationV2Only(true));
        a = hosts.a();
        b = hosts.b();
        long t0 = System.nanoTime();
        log = hosts.boot(a, NAME, g -> g.memoryMiB(256).fillMiB(64).dirtyMibps(8));
        System.out.printf("[it] boot %s: %.2f s%n", NAME, (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    void stopAll() throws Exception {
        hosts.close();
    }

    @Test
    @Order(10)
    void theSwitchHidesV3AndRefusesItsCalls() {
        try (Connection c = Connections.open(b.uri())) {
            assertThat(c.supportsFeature(DriverFeature.MIGRATION_P2P)).isTrue();
            assertThat(c.supportsFeature(DriverFeature.MIGRATION_V2)).isTrue();
            assertThat(c.supportsFeature(DriverFeature.MIGRATION_V3)).isFalse();
            assertThat(c.supportsFeature(DriverFeature.MIGRATION_PARAMS)).isFalse();
            assertThatThrownBy(() -> MigrationPhases.of(c)
                            .migratePrepare3(
                                    List.of(TypedParam.string(MigrateParams.DEST_XML, "<x/>")),
                                    null,
                                    MigrateFlags.LIVE))
                    .isInstanceOfSatisfying(VirtException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.NO_SUPPORT);
                        assertThat(e.getMessage()).contains("virDomainMigratePrepare3Params");
                    });
        }
        try (Connection c = Connections.open(a.uri())) {
            assertThat(c.supportsFeature(DriverFeature.MIGRATION_V3)).isTrue();
            assertThat(c.supportsFeature(DriverFeature.MIGRATION_PARAMS)).isTrue();
        }
    }

    @Test
    @Order(20)
    void aDestinationRefusingPrepare2LeavesTheGuestRunningOnTheSource() throws Exception {
        // Another domain of the same name (its own UUID) is defined on B, so B's Prepare2 refuses the guest.
        assertThat(b.virsh()
                        .run("define", hosts.base.resolve(NAME + ".xml").toString())
                        .exit())
                .isZero();
        GuestIntegrity whole = GuestIntegrity.before(log, NAME, a.guest());

        Virsh.Result r = a.virsh().run("migrate", "--live", "--p2p", NAME, b.uri());

        System.out.println("[it] refused by B: " + r.err().strip());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("error: operation failed: domain '" + NAME + "' already exists with uuid");
        assertThat(a.virsh().run("domstate", "--reason", NAME).out().strip()).isEqualTo("running (booted)");
        assertThat(a.virsh().run("domjobinfo", NAME).out()).containsPattern("Job type:\\s+None");
        assertThat(b.virsh().run("domstate", NAME).out().strip())
                .as("B's own domain is left alone")
                .isEqualTo("shut off");
        GuestIntegrity.Outcome stayed = whole.assertStayed(StateReason.RUNNING_BOOTED);
        assertThat(b.virsh().run("undefine", NAME).exit()).isZero();
        stayed.andGoneFrom(b.guest());
        hosts.assertNothingStray();
    }

    @Test
    @Order(30)
    void abortedV2MigrationLeavesTheGuestOnTheSourceAndNothingOnTheDestination() throws Exception {
        GuestIntegrity whole = GuestIntegrity.before(log, NAME, a.guest());
        Process migrate = a.virsh()
                .command("migrate", "--live", "--p2p", "--bandwidth", "4", NAME, b.uri())
                .redirectErrorStream(true)
                .start();
        String out;
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(300))
                    .untilAsserted(() -> {
                        assertThat(a.virsh().run("domjobinfo", NAME).out())
                                .containsPattern("Memory processed:\\s+[1-9]");
                        assertThat(b.virsh().run("list", "--all").out())
                                .as("the incoming domain waits on B")
                                .contains(NAME);
                    });
            assertThat(a.virsh().run("domjobabort", NAME).exit()).isZero();
            assertThat(migrate.waitFor(60, TimeUnit.SECONDS)).isTrue();
            out = new String(migrate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            migrate.destroyForcibly();
        }
        System.out.println("[it] aborted v2: " + out.strip());
        assertThat(migrate.exitValue()).as(out).isNotZero();
        assertThat(out).contains("error: operation aborted: job 'migration out' canceled by client");

        assertThat(a.virsh().run("domstate", "--reason", NAME).out().strip()).isEqualTo("running (booted)");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(b.virsh().run("list", "--all").out()).doesNotContain(NAME));
        whole.assertStayed(StateReason.RUNNING_BOOTED).andGoneFrom(b.guest());
        hosts.assertNothingStray();
    }

    @Test
    @Order(40)
    void nativeAndTunnelledToAndFromADaemonWithoutV3() throws Exception {
        PeerHop.hop("p2p native A->B (v2)", hosts, a, b, NAME, log);
        PeerHop.hop("p2p native B->A (virsh: v2 Perform; B: v3)", hosts, b, a, NAME, log);
        PeerHop.hop("p2p tunnelled A->B (v2 PrepareTunnel)", hosts, a, b, NAME, log, "--tunnelled");
        PeerHop.hop("p2p tunnelled B->A", hosts, b, a, NAME, log, "--tunnelled");
    }
}
