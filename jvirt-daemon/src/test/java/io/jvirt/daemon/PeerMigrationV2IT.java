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
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.guest.GuestBuilder;
import io.jvirt.guest.GuestTick;
import io.jvirt.guest.GuestXml;
import io.jvirt.guest.SerialLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code virsh migrate --p2p} (native and tunnelled) between a jvirtd and one configured with the interop/testing
 * switch {@code interop_migration_v2_only}, which poses as a libvirtd without migration v3: towards it the source
 * daemon falls back to v2 (Prepare2 or PrepareTunnel, the transfer, Finish2); back from it virsh itself uses v2's
 * Perform with the destination's URI, and that daemon drives the normal destination with v3. Checks the ticking
 * guest after each hop, and that a v2 migration the destination refuses, or one aborted, leaves the guest running on
 * the source and nothing on the destination.
 */
class PeerMigrationV2IT {
    private Path base;
    private Daemon normal;
    private Daemon v2Only;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void startDaemons() throws IOException {
        base = Files.createTempDirectory("jvirtd-p2p-v2-");
        normal = Daemon.start(DaemonConfig.forRoot(base.resolve("a"), base.resolve("a/run")));
        v2Only = Daemon.start(DaemonConfig.forRoot(base.resolve("b"), base.resolve("b/run"))
                .withMigrationV2Only(true));
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        QemuReaper.stopDaemons(base, normal, v2Only);
    }

    private static String uriOf(Path socket) {
        return "qemu+unix:///system?socket=" + socket;
    }

    private SerialLog startGuest(Virsh on, String name) throws Exception {
        return GuestBoot.boot(on, base, name, serial -> GuestXml.named(name).memoryMiB(256).fillMiB(64).dirtyMibps(8)
                .serialFile(serial).image(GuestBuilder.ensureBuilt()).toXml());
    }

    @Test
    void theSwitchHidesV3AndRefusesItsCalls() {
        try (Connection b = Connections.open(uriOf(v2Only.rwSocket()))) {
            assertThat(b.supportsFeature(DriverFeature.MIGRATION_P2P)).isTrue();
            assertThat(b.supportsFeature(DriverFeature.MIGRATION_V2)).isTrue();
            assertThat(b.supportsFeature(DriverFeature.MIGRATION_V3)).isFalse();
            assertThat(b.supportsFeature(DriverFeature.MIGRATION_PARAMS)).isFalse();
            assertThatThrownBy(() -> MigrationPhases.of(b).migratePrepare3(
                    List.of(TypedParam.string(MigrateParams.DEST_XML, "<x/>")),
                    null, MigrateFlags.LIVE)).isInstanceOfSatisfying(VirtException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.NO_SUPPORT);
                        assertThat(e.getMessage()).contains("virDomainMigratePrepare3Params");
                    });
        }
        try (Connection a = Connections.open(uriOf(normal.rwSocket()))) {
            assertThat(a.supportsFeature(DriverFeature.MIGRATION_V3)).isTrue();
            assertThat(a.supportsFeature(DriverFeature.MIGRATION_PARAMS)).isTrue();
        }
    }

    @Test
    void nativeAndTunnelledToAndFromADaemonWithoutV3() throws Exception {
        Virsh a = Virsh.on(normal.rwSocket());
        Virsh b = Virsh.on(v2Only.rwSocket());
        String aUri = uriOf(normal.rwSocket());
        String bUri = uriOf(v2Only.rwSocket());
        SerialLog log = startGuest(a, "v2g1");

        PeerHop.hop("p2p native A->B (v2)", a, b, bUri, "v2g1", log);
        PeerHop.hop("p2p native B->A (virsh: v2 Perform; B: v3)", b, a, aUri, "v2g1", log);
        PeerHop.hop("p2p tunnelled A->B (v2 PrepareTunnel)", a, b, bUri, "v2g1", log, "--tunnelled");
        PeerHop.hop("p2p tunnelled B->A", b, a, aUri, "v2g1", log, "--tunnelled");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet()
                .stream().map(Thread::getName).filter(n -> n.startsWith("jvirt-tunnel-"))).isEmpty());
    }

    @Test
    void aDestinationRefusingPrepare2LeavesTheGuestRunningOnTheSource() throws Exception {
        Virsh a = Virsh.on(normal.rwSocket());
        Virsh b = Virsh.on(v2Only.rwSocket());
        SerialLog log = startGuest(a, "v2g3");
        // Another domain of the same name (its own UUID) is defined on B, so B's Prepare2 refuses the guest.
        assertThat(b.run("define", base.resolve("v2g3.xml").toString()).exit()).isZero();

        Virsh.Result r = a.run("migrate", "--live", "--p2p", "v2g3", uriOf(v2Only.rwSocket()));

        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("domain 'v2g3' already exists with uuid");
        assertThat(a.run("domstate", "--reason", "v2g3").out().strip()).isEqualTo("running (booted)");
        assertThat(a.run("domjobinfo", "v2g3").out()).containsPattern("Job type:\\s+None");
        GuestTick last = log.latest().orElseThrow();
        log.awaitTickAfter(last.tick() + 1, Duration.ofSeconds(30));
        assertThat(log.boots()).isEqualTo(1);
        assertThat(b.run("domstate", "v2g3").out().strip()).as("B's own domain is left alone").isEqualTo("shut off");
        assertThat(qemuProcessesUnder(base.resolve("b"))).isEmpty();
    }

    @Test
    void abortedV2MigrationLeavesTheGuestOnTheSourceAndNothingOnTheDestination() throws Exception {
        Virsh a = Virsh.on(normal.rwSocket());
        Virsh b = Virsh.on(v2Only.rwSocket());
        SerialLog log = startGuest(a, "v2g2");
        Process migrate = a.command("migrate", "--live", "--p2p", "--bandwidth", "4", "v2g2",
                uriOf(v2Only.rwSocket())).redirectErrorStream(true).start();
        processes.add(migrate);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            assertThat(a.run("domjobinfo", "v2g2").out()).containsPattern("Memory processed:\\s+[1-9]");
            assertThat(b.run("list", "--all").out()).as("the incoming domain waits on B").contains("v2g2");
        });

        assertThat(a.run("domjobabort", "v2g2").exit()).isZero();
        assertThat(migrate.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(migrate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(migrate.exitValue()).as(out).isNotZero();
        assertThat(out).contains("canceled by client");

        assertThat(a.run("domstate", "v2g2").out().strip()).isEqualTo("running");
        GuestTick last = log.latest().orElseThrow();
        log.awaitTickAfter(last.tick() + 1, Duration.ofSeconds(30));
        assertThat(log.ticks()).allMatch(GuestTick::patternOk);
        assertThat(log.boots()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(b.run("list", "--all").out()).doesNotContain("v2g2"));
        assertThat(qemuProcessesUnder(base.resolve("b"))).isEmpty();
    }

    private static List<ProcessHandle> qemuProcessesUnder(Path root) {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(c -> c.contains("qemu-system") && c.contains(root.toString()))
                        .orElse(false))
                .toList();
    }
}
