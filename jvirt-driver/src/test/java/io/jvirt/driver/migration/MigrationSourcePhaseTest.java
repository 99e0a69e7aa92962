package io.jvirt.driver.migration;

import static io.jvirt.driver.migration.StandInDriver.cap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.JobInfo;
import io.jvirt.api.JobStatsFlags;
import io.jvirt.api.JobType;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.MigrationBegin;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.driver.migration.cookie.CookieGraphics;
import io.jvirt.driver.migration.cookie.MigrationCookie;
import io.jvirt.driver.migration.cookie.MigrationCookieXml;
import io.jvirt.driver.root.HostRoot;
import io.jvirt.testing.FakeQmp;
import io.jvirt.testing.ReceivedCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source side's phases through the embedded driver, without QEMU: the driver reconnects to a running domain
 * whose "QEMU" is a stand-in process (a shell carrying the domain's -uuid) with a scripted monitor. What is
 * checked is what a user sees: the commands QEMU gets, the errors, the domain's state, the job and the status file.
 */
class MigrationSourcePhaseTest {
    private static final String URI = "tcp:127.0.0.1:49152";
    private static final List<TypedParam> PARAMS = List.of(TypedParam.string(MigrateParams.URI, URI));
    private static final long PROTECTED = MigrateFlags.LIVE | MigrateFlags.CHANGE_PROTECTION;

    @TempDir
    Path dir;

    private final UUID uuid = UUID.randomUUID();
    private StandInDriver guest;
    private HostRoot root;
    private FakeQmp qmp;
    private Process qemu;
    private Connection conn;
    private MigrationPhases phases;
    private DomainRef ref;

    @BeforeEach
    void reconnect() throws Exception {
        guest = StandInDriver.open(dir, uuid, monitor -> {
            monitor.expect("query-migrate-capabilities")
                    .reply(List.of(
                            cap("xbzrle"),
                            cap("auto-converge"),
                            cap("events"),
                            cap("postcopy-ram"),
                            cap("return-path")))
                    .repeatedly();
            monitor.expect("query-migrate-parameters")
                    .reply(Map.of("max-bandwidth", 134_217_728, "downtime-limit", 300, "xbzrle-cache-size", 67_108_864))
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
        if (conn.jobInfo(ref).type() != JobType.NONE) {
            // A parked migration job would hold the driver's close for its whole job wait.
            phases.migrateConfirm3(ref, List.of(), null, PROTECTED, true);
        }
        guest.close();
    }

    /** The cookie a destination host would send back from Prepare. */
    private String destinationCookie(CookieGraphics graphics) {
        MigrationCookie cookie = MigrationCookie.of("g1", uuid, "dst.example.org", UUID.randomUUID());
        return MigrationCookieXml.format(graphics == null ? cookie : cookie.withGraphics(graphics));
    }

    private void migrationCompletes() {
        qmp.expect("migrate")
                .thenEmit("MIGRATION", Map.of("status", "setup"))
                .thenEmit("MIGRATION", Map.of("status", "active"))
                .thenEmit("MIGRATION", Map.of("status", "completed"));
    }

    private String status() throws Exception {
        return Files.readString(root.statusFile("g1"));
    }

    @Test
    void beginWithChangeProtectionParksTheJobAndWritesItsPhase() throws Exception {
        MigrationBegin begin = phases.migrateBegin3(ref, List.of(), PROTECTED);

        assertThat(begin.domainXml()).contains("<uuid>" + uuid + "</uuid>");
        assertThat(begin.cookie())
                .contains("<hostuuid>" + conn.hostUuid() + "</hostuuid>")
                .contains("<feature name='lockstate'/>")
                .contains("<cap name='postcopy-ram'");
        assertThat(status()).contains("async='migration out' phase='begin3' flags='0x101'");
        assertThat(conn.jobInfo(ref).type()).isEqualTo(JobType.UNBOUNDED);
        assertFails(
                () -> phases.migrateBegin3(ref, List.of(), PROTECTED),
                ErrorCode.OPERATION_INVALID,
                "another migration job is already running for domain 'g1'");
    }

    @Test
    void beginWithoutProtectionLeavesNoJob() throws Exception {
        phases.migrateBegin3(ref, List.of(), MigrateFlags.LIVE);
        assertThat(conn.jobInfo(ref)).isEqualTo(JobInfo.NONE);
        assertThat(status()).doesNotContain("<job");
    }

    @Test
    void confirmCancelledAfterBeginReleasesTheDomain() throws Exception {
        phases.migrateBegin3(ref, List.of(), PROTECTED);
        phases.migrateConfirm3(ref, List.of(), null, PROTECTED, true);
        assertThat(conn.jobInfo(ref)).isEqualTo(JobInfo.NONE);
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
        assertThat(status()).doesNotContain("<job");
        assertThat(qmp.commandNames()).doesNotContain("migrate_cancel", "cont");
        assertThat(qemu.isAlive()).isTrue();
    }

    @Test
    void performConfiguresQemuMigratesAndConfirmStopsTheSource() throws Exception {
        phases.migrateBegin3(ref, List.of(), PROTECTED);
        migrationCompletes();

        String cookie = phases.migratePerform3(ref, null, PARAMS, destinationCookie(null), PROTECTED);

        assertThat(qmp.commandNames())
                .containsSubsequence(
                        "query-migrate-parameters",
                        "query-migrate-capabilities",
                        "migrate-set-capabilities",
                        "migrate-set-parameters",
                        "migrate");
        assertThat(qmp.commandNames()).doesNotContain("stop", "client_migrate_info");
        assertThat(qmp.awaitCommand("migrate", Duration.ofSeconds(5)).arguments())
                .containsEntry("uri", URI);
        ReceivedCommand params = qmp.awaitCommand("migrate-set-parameters", Duration.ofSeconds(5));
        assertThat(((Number) params.arguments().get("max-bandwidth")).longValue())
                .as("unlimited: libvirt's maximum, not QEMU's 128 MiB/s default")
                .isEqualTo(8_796_093_022_207L * 1024 * 1024);
        assertThat(cookie).contains("<statistics>");
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.PAUSED_MIGRATION);
        assertThat(status()).contains("phase='perform3_done'");
        assertThat(conn.jobStats(ref, JobStatsFlags.COMPLETED | JobStatsFlags.KEEP_COMPLETED))
                .contains(TypedParam.integer("type", JobType.COMPLETED.wire()));

        phases.migrateConfirm3(ref, List.of(), null, PROTECTED, false);

        assertThat(qemu.waitFor(10, TimeUnit.SECONDS))
                .as("the source QEMU is ended")
                .isTrue();
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_MIGRATED);
        assertThat(root.statusFile("g1")).doesNotExist();
        assertThat(conn.isPersistent(ref)).isTrue();
    }

    @Test
    void aSwitchToPostcopyShowsTheSourcePausedForPostcopyUntilQemuIsDone() throws Exception {
        long flags = PROTECTED | MigrateFlags.POSTCOPY;
        phases.migrateBegin3(ref, List.of(), flags);
        qmp.expect("migrate")
                .thenEmit("MIGRATION", Map.of("status", "setup"))
                .thenEmit("MIGRATION", Map.of("status", "active"))
                .thenEmit("MIGRATION", Map.of("status", "postcopy-active"));

        phases.migratePerform3(ref, null, PARAMS, destinationCookie(null), flags);

        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.PAUSED_POSTCOPY);
        assertThat(status()).contains("phase='perform3_done'");
        qmp.emit("MIGRATION", Map.of("status", "completed"));
        phases.migrateConfirm3(ref, List.of(), null, flags, false);
        assertThat(qemu.waitFor(10, TimeUnit.SECONDS))
                .as("the source QEMU is ended")
                .isTrue();
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_MIGRATED);
    }

    /**
     * Also: QEMU's settings go back only once QEMU has cleaned up after the migration (its migration yank instance
     * gone), since QEMU 10.0 aborts when multifd is switched off before its cleanup has run.
     */
    @Test
    void confirmCancelledAfterPerformResumesTheGuestHere() throws Exception {
        phases.migrateBegin3(ref, List.of(), PROTECTED);
        migrationCompletes();
        phases.migratePerform3(ref, null, PARAMS, destinationCookie(null), PROTECTED);
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.PAUSED_MIGRATION);
        qmp.expect("query-yank").reply(List.of(Map.of("type", "migration")));
        qmp.expect("query-yank")
                .reply(List.of(Map.of("type", "chardev", "id", "charmonitor"), Map.of("type", "migration")));
        qmp.expect("query-yank").reply(List.of(Map.of("type", "chardev", "id", "charmonitor")));

        phases.migrateConfirm3(ref, List.of(), null, PROTECTED, true);

        assertThat(qmp.commandNames())
                .endsWith(
                        "cont",
                        "query-yank",
                        "query-yank",
                        "query-yank",
                        "query-migrate-capabilities",
                        "migrate-set-capabilities",
                        "migrate-set-parameters");
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_MIGRATION_CANCELED);
        assertThat(conn.jobInfo(ref)).isEqualTo(JobInfo.NONE);
        assertThat(status()).doesNotContain("<job");
        assertThat(qemu.isAlive()).isTrue();
    }

    @Test
    void qemuRefusingMigratePutsANonLiveSourceBackAsItWas() throws Exception {
        qmp.expect("migrate").replyError("GenericError", "Failed to connect to '127.0.0.1:49152'");

        assertFails(
                () -> phases.migratePerform3(ref, null, PARAMS, destinationCookie(null), 0),
                ErrorCode.INTERNAL_ERROR,
                "Failed to connect to '127.0.0.1:49152'");

        assertThat(qmp.commandNames())
                .containsSubsequence("stop", "migrate", "cont", "migrate-set-capabilities", "migrate-set-parameters");
        assertThat(qmp.commandNames()).doesNotContain("migrate_cancel");
        List<ReceivedCommand> sets = qmp.commands().stream()
                .filter(c -> c.name().equals("migrate-set-parameters"))
                .toList();
        assertThat(sets.getLast().arguments())
                .as("QEMU's own parameters are put back")
                .containsEntry("max-bandwidth", 134_217_728)
                .containsEntry("xbzrle-cache-size", 67_108_864);
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_MIGRATION_CANCELED);
        assertThat(conn.jobInfo(ref)).isEqualTo(JobInfo.NONE);
        assertThat(status()).doesNotContain("<job");
        assertThat(conn.jobStats(ref, JobStatsFlags.COMPLETED))
                .contains(TypedParam.integer("type", JobType.FAILED.wire()));
        assertFails(
                () -> phases.migrateConfirm3(ref, List.of(), null, 0, true),
                ErrorCode.OPERATION_INVALID,
                "domain 'g1' is not being migrated");
    }

    @Test
    void migrationFailingInQemuReportsQemusReason() throws Exception {
        qmp.expect("migrate")
                .thenEmit("MIGRATION", Map.of("status", "setup"))
                .thenEmit("MIGRATION", Map.of("status", "failed"));
        qmp.expect("query-migrate")
                .reply(Map.of("status", "failed", "error-desc", "Unable to write to socket: Broken pipe"))
                .repeatedly();

        assertFails(
                () -> phases.migratePerform3(ref, null, PARAMS, destinationCookie(null), MigrateFlags.LIVE),
                ErrorCode.OPERATION_FAILED,
                "job 'migration out' failed: Unable to write to socket: Broken pipe");

        assertThat(qmp.commandNames()).doesNotContain("stop", "cont", "migrate_cancel");
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
        assertThat(conn.jobInfo(ref)).isEqualTo(JobInfo.NONE);
    }

    @Test
    void abortDuringPerformCancelsInQemuAndKeepsTheGuestHere() throws Exception {
        qmp.expect("migrate")
                .thenEmit("MIGRATION", Map.of("status", "setup"))
                .thenEmit("MIGRATION", Map.of("status", "active"));
        qmp.expect("migrate_cancel")
                .thenEmit("MIGRATION", Map.of("status", "cancelling"))
                .thenEmit("MIGRATION", Map.of("status", "cancelled"))
                .repeatedly();
        CompletableFuture<String> perform = CompletableFuture.supplyAsync(
                () -> phases.migratePerform3(ref, null, PARAMS, destinationCookie(null), MigrateFlags.LIVE));
        qmp.awaitCommand("migrate", Duration.ofSeconds(10));

        conn.abortJob(ref);

        assertThatThrownBy(() -> perform.get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_ABORTED);
                    assertThat(e.getMessage()).contains("job 'migration out' canceled by client");
                });
        assertThat(qmp.commandNames()).contains("migrate_cancel");
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
        assertThat(conn.jobInfo(ref)).isEqualTo(JobInfo.NONE);
        assertThat(conn.jobStats(ref, JobStatsFlags.COMPLETED))
                .contains(TypedParam.integer("type", JobType.CANCELLED.wire()));
    }

    @Test
    void theJobCanBeWatchedSuspendedAndTunedWhileQemuMigrates() throws Exception {
        qmp.expect("migrate").thenEmit("MIGRATION", Map.of("status", "active"));
        qmp.expect("query-migrate")
                .reply(Map.of(
                        "status",
                        "active",
                        "ram",
                        Map.of("total", 4096, "transferred", 1024, "remaining", 3072, "mbps", 8.0)))
                .repeatedly();
        CompletableFuture<String> perform = CompletableFuture.supplyAsync(
                () -> phases.migratePerform3(ref, null, PARAMS, destinationCookie(null), MigrateFlags.LIVE));
        qmp.awaitCommand("migrate", Duration.ofSeconds(10));

        assertThat(conn.jobStats(ref, 0))
                .contains(
                        TypedParam.ullong("memory_total", 4096),
                        TypedParam.ullong("memory_remaining", 3072),
                        TypedParam.ullong("memory_bps", 1_000_000));
        conn.migrateSetMaxSpeed(ref, 50, 0);
        conn.suspend(ref);
        assertThat(qmp.commandNames()).contains("stop");
        assertThat(perform).isNotDone();

        qmp.emit("MIGRATION", Map.of("status", "completed"));
        assertThat(perform.get(20, TimeUnit.SECONDS)).contains("<qemu-migration>");
        assertThat(conn.migrateGetMaxSpeed(ref, 0)).isEqualTo(50);
    }

    @Test
    void displayClientsAreToldWhereTheDestinationListens() throws Exception {
        migrationCompletes();
        phases.migratePerform3(
                ref,
                null,
                PARAMS,
                destinationCookie(CookieGraphics.spice(5901, 5902, "0.0.0.0", "CN=dst")),
                MigrateFlags.LIVE);
        ReceivedCommand info = qmp.awaitCommand("client_migrate_info", Duration.ofSeconds(5));
        assertThat(info.arguments())
                .containsEntry("hostname", "127.0.0.1")
                .containsEntry("port", 5901)
                .containsEntry("tls-port", 5902)
                .containsEntry("cert-subject", "CN=dst");
        assertThat(qmp.commandNames()).containsSubsequence("client_migrate_info", "migrate");
    }

    @Test
    void performWithoutUriFailsAndReleasesTheDomain() throws Exception {
        assertFails(
                () -> phases.migratePerform3(ref, null, List.of(), destinationCookie(null), MigrateFlags.LIVE),
                ErrorCode.INVALID_ARG,
                "migration URI is not set");
        assertThat(qmp.commandNames()).doesNotContain("migrate");
        assertThat(conn.jobInfo(ref)).isEqualTo(JobInfo.NONE);
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
    }

    @Test
    void aCookieFromThisSameHostIsRefused() {
        String own = MigrationCookieXml.format(MigrationCookie.of("g1", uuid, "here", conn.hostUuid()));
        assertFails(
                () -> phases.migratePerform3(ref, null, PARAMS, own, MigrateFlags.LIVE),
                ErrorCode.INTERNAL_ERROR,
                "Attempt to migrate guest to the same host");
        assertThat(conn.jobInfo(ref)).isEqualTo(JobInfo.NONE);
        assertThat(qmp.commandNames()).doesNotContain("migrate");
    }

    @Test
    void performWithChangeProtectionNeedsBegin() {
        assertFails(
                () -> phases.migratePerform3(ref, null, PARAMS, destinationCookie(null), PROTECTED),
                ErrorCode.OPERATION_INVALID,
                "domain 'g1' is not being migrated");
    }

    @Test
    void peerToPeerAndStrayDconnuriAreRefusedByTheEmbeddedDriver() {
        assertThatThrownBy(() -> phases.migratePerform3(
                        ref, "qemu+ssh://dst/system", PARAMS, null, MigrateFlags.LIVE | MigrateFlags.PEER2PEER))
                .isInstanceOf(VirtException.class);
        assertThatThrownBy(() -> phases.migratePerform3(ref, "qemu+ssh://dst/system", PARAMS, null, MigrateFlags.LIVE))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.getMessage()).contains("Unexpected dconnuri parameter"));
        assertThat(conn.jobInfo(ref)).isEqualTo(JobInfo.NONE);
    }

    @Test
    void version2PerformMigratesAndStopsTheSourceAtOnce() throws Exception {
        migrationCompletes();
        phases.migratePerform2(ref, URI, MigrateFlags.LIVE, null, 0);
        assertThat(qmp.awaitCommand("migrate", Duration.ofSeconds(5)).arguments())
                .containsEntry("uri", URI);
        assertThat(qemu.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_MIGRATED);
    }

    @Test
    void finishOfADomainThatIsNotArrivingIsRefused() {
        List<TypedParam> named = List.of(TypedParam.string(MigrateParams.DEST_NAME, "g1"));
        assertFails(
                () -> phases.migrateFinish3(named, null, MigrateFlags.LIVE, false),
                ErrorCode.OPERATION_INVALID,
                "domain 'g1' is not processing incoming migration");
        assertFails(
                () -> phases.migrateFinish3(List.of(), null, MigrateFlags.LIVE, false),
                ErrorCode.INVALID_ARG,
                "missing destination name");
        assertThat(qemu.isAlive()).as("the running domain is not torn down").isTrue();
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
    }

    @Test
    void aSecondPerformAfterASuccessfulOneLeavesTheMigratedSourceAlone() throws Exception {
        phases.migrateBegin3(ref, List.of(), PROTECTED);
        migrationCompletes();
        phases.migratePerform3(ref, null, PARAMS, destinationCookie(null), PROTECTED);

        assertFails(
                () -> phases.migratePerform3(ref, null, PARAMS, destinationCookie(null), PROTECTED),
                ErrorCode.INTERNAL_ERROR,
                "migration protocol going backwards perform3_done => perform3");

        assertThat(conn.state(ref).reason())
                .as("the guest may already run on the destination")
                .isEqualTo(StateReason.PAUSED_MIGRATION);
        assertThat(qmp.commandNames()).doesNotContain("cont");
        assertThat(conn.jobInfo(ref).type()).as("the job waits for Confirm").isEqualTo(JobType.UNBOUNDED);
    }

    private static void assertFails(ThrowingCallable call, ErrorCode code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(VirtException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
