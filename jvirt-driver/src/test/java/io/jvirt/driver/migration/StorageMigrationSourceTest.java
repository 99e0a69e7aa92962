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
import io.jvirt.driver.migration.cookie.CookieNbd;
import io.jvirt.driver.migration.cookie.MigrationCookie;
import io.jvirt.driver.migration.cookie.MigrationCookieXml;
import io.jvirt.testing.FakeQmp;
import io.jvirt.testing.ReceivedCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source of a storage migration against a scripted QEMU: the NBD cookie in Begin, then in Perform an NBD client
 * node and a mirror per disk, memory only once the mirror is ready, the mirror completed at pre-switchover before
 * {@code migrate-continue}; and each failure (a mirror failing before or after the memory started, an abort while
 * the disks copy) cancelling the mirror, removing the node and leaving the guest running here.
 */
class StorageMigrationSourceTest {
    private static final String URI = "tcp:127.0.0.1:49152";
    private static final List<TypedParam> PARAMS = List.of(TypedParam.string(MigrateParams.URI, URI));
    private static final long FLAGS = MigrateFlags.LIVE | MigrateFlags.NON_SHARED_DISK;
    private static final String JOB = "drive-virtio-disk0";
    private static final String DISK = "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
            + "<source file='/images/g1.qcow2'/><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk>"
            + "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/>"
            + "<alias name='ide0-1-0'/></disk>";

    @TempDir
    Path dir;

    private final UUID uuid = UUID.randomUUID();
    private StandInDriver guest;
    private FakeQmp qmp;
    private Connection conn;
    private MigrationPhases phases;
    private DomainRef ref;

    @BeforeEach
    void reconnect() throws Exception {
        guest = StandInDriver.open(dir, uuid, DISK, monitor -> {
            monitor.expect("query-migrate-capabilities")
                    .reply(List.of(cap("events"), cap("pause-before-switchover"), cap("return-path")))
                    .repeatedly();
            monitor.expect("query-migrate-parameters")
                    .reply(Map.of("max-bandwidth", 134_217_728))
                    .repeatedly();
            monitor.expect("query-block")
                    .reply(List.of(
                            Map.of(
                                    "device",
                                    "drive-virtio-disk0",
                                    "qdev",
                                    "/machine/peripheral/virtio-disk0/virtio-backend",
                                    "inserted",
                                    Map.of(
                                            "node-name", "#block123",
                                            "file", "/images/g1.qcow2",
                                            "drv", "qcow2",
                                            "ro", false,
                                            "image", Map.of("virtual-size", 67_108_864, "format", "qcow2"))),
                            Map.of("device", "drive-ide0-1-0", "qdev", "ide0-1-0")))
                    .repeatedly();
            monitor.expect("query-block-jobs")
                    .reply(List.of(Map.of(
                            "device", JOB, "type", "mirror", "len", 67_108_864, "offset", 16_777_216, "speed", 0)))
                    .repeatedly();
            monitor.expect("migrate_cancel")
                    .thenEmit("MIGRATION", Map.of("status", "cancelling"))
                    .thenEmit("MIGRATION", Map.of("status", "cancelled"))
                    .repeatedly();
        });
        qmp = guest.qmp();
        conn = guest.conn();
        phases = MigrationPhases.of(conn);
        ref = guest.ref();
    }

    @AfterEach
    void tearDown() throws Exception {
        guest.close();
    }

    /** The destination's Prepare cookie: its NBD server's port and the disk it exports. */
    private String destinationCookie() {
        return MigrationCookieXml.format(MigrationCookie.of("g1", uuid, "dst.example.org", UUID.randomUUID())
                .withNbd(new CookieNbd(49160, List.of(new CookieNbd.Disk("vda", 67_108_864)))));
    }

    private static Map<String, Object> jobEvent() {
        return Map.of("device", JOB, "type", "mirror", "len", 67_108_864, "offset", 67_108_864, "speed", 0);
    }

    @Test
    void beginOffersTheWritableDisksWithTheirSize() {
        MigrationBegin begin = phases.migrateBegin3(ref, List.of(), FLAGS);
        assertThat(begin.cookie()).contains("  <nbd>\n    <disk target='vda' capacity='67108864'/>\n  </nbd>\n");
        assertThatThrownBy(() -> phases.migrateBegin3(
                        ref, List.of(TypedParam.string(MigrateParams.MIGRATE_DISKS, "vdz")), FLAGS))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARG);
                    assertThat(e.getMessage()).endsWith("disk target vdz not found");
                });
    }

    @Test
    void mirrorsReadyBeforeMemoryAndCompletedAtTheSwitchOver() throws Exception {
        qmp.expect("blockdev-mirror").thenEmit("BLOCK_JOB_READY", jobEvent());
        qmp.expect("migrate")
                .thenEmit("MIGRATION", Map.of("status", "setup"))
                .thenEmit("MIGRATION", Map.of("status", "active"))
                .thenEmit("MIGRATION", Map.of("status", "pre-switchover"));
        qmp.expect("block-job-cancel").thenEmit("BLOCK_JOB_COMPLETED", jobEvent());
        qmp.expect("migrate-continue").thenEmit("MIGRATION", Map.of("status", "completed"));
        List<TypedParam> slow =
                List.of(TypedParam.string(MigrateParams.URI, URI), TypedParam.ullong(MigrateParams.BANDWIDTH, 10));

        String cookie = phases.migratePerform3(ref, null, slow, destinationCookie(), FLAGS);

        assertThat(qmp.commandNames())
                .containsSubsequence(
                        "migrate-set-capabilities",
                        "query-block",
                        "blockdev-add",
                        "blockdev-mirror",
                        "migrate",
                        "block-job-cancel",
                        "blockdev-del",
                        "migrate-continue");
        assertThat(qmp.awaitCommand("migrate-set-capabilities", Duration.ofSeconds(5))
                        .arguments()
                        .get("capabilities"))
                .asInstanceOf(InstanceOfAssertFactories.LIST)
                .contains(Map.of("capability", "pause-before-switchover", "state", true));
        assertThat(qmp.awaitCommand("blockdev-add", Duration.ofSeconds(5)).arguments())
                .containsEntry("driver", "nbd")
                .containsEntry("node-name", "migration-vda-storage")
                .containsEntry("export", JOB)
                .containsEntry("server", Map.of("type", "inet", "host", "127.0.0.1", "port", "49160"));
        assertThat(qmp.awaitCommand("blockdev-mirror", Duration.ofSeconds(5)).arguments())
                .containsEntry("job-id", JOB)
                .containsEntry("device", "#block123")
                .containsEntry("target", "migration-vda-storage")
                .containsEntry("sync", "full")
                .containsEntry("speed", 10 * 1024 * 1024)
                .doesNotContainKey("copy-mode");
        assertThat(qmp.awaitCommand("block-job-cancel", Duration.ofSeconds(5)).arguments())
                .containsEntry("device", JOB)
                .containsEntry("force", false);
        assertThat(qmp.awaitCommand("blockdev-del", Duration.ofSeconds(5)).arguments())
                .containsEntry("node-name", "migration-vda-storage");
        assertThat(qmp.awaitCommand("migrate-continue", Duration.ofSeconds(5)).arguments())
                .containsEntry("state", "pre-switchover");
        assertThat(cookie).contains("  <nbd>\n    <disk target='vda' capacity='67108864'/>\n  </nbd>\n");
        assertThat(conn.jobStats(ref, JobStatsFlags.COMPLETED | JobStatsFlags.KEEP_COMPLETED))
                .contains(
                        TypedParam.ullong("disk_total", 67_108_864),
                        TypedParam.ullong("disk_processed", 67_108_864),
                        TypedParam.ullong("disk_remaining", 0));
        phases.migrateConfirm3(ref, List.of(), null, FLAGS, false);
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_MIGRATED);
    }

    @Test
    void aFinishThatFailsAfterTheSwitchOverResumesTheGuestOnItsOwnDisk() throws Exception {
        qmp.expect("blockdev-mirror").thenEmit("BLOCK_JOB_READY", jobEvent());
        qmp.expect("migrate").thenEmit("MIGRATION", Map.of("status", "pre-switchover"));
        qmp.expect("block-job-cancel").thenEmit("BLOCK_JOB_COMPLETED", jobEvent());
        qmp.expect("migrate-continue").thenEmit("MIGRATION", Map.of("status", "completed"));
        phases.migrateBegin3(ref, List.of(), FLAGS | MigrateFlags.CHANGE_PROTECTION);
        phases.migratePerform3(ref, null, PARAMS, destinationCookie(), FLAGS | MigrateFlags.CHANGE_PROTECTION);
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.PAUSED_MIGRATION);

        phases.migrateConfirm3(ref, List.of(), null, FLAGS | MigrateFlags.CHANGE_PROTECTION, true);

        assertThat(qmp.commandNames())
                .endsWith(
                        "cont",
                        "query-yank",
                        "query-migrate-capabilities",
                        "migrate-set-capabilities",
                        "migrate-set-parameters");
        assertThat(qmp.commands().stream()
                        .filter(c -> c.name().equals("block-job-cancel"))
                        .toList())
                .as("the mirror finished in sync once; nothing is cancelled again")
                .hasSize(1);
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_MIGRATION_CANCELED);
        assertThat(conn.jobInfo(ref)).isEqualTo(JobInfo.NONE);
    }

    @Test
    void incrementalSynchronousCopyMirrorsTheTopImageWriteBlocking() throws Exception {
        long flags = MigrateFlags.LIVE | MigrateFlags.NON_SHARED_INC | MigrateFlags.NON_SHARED_SYNCHRONOUS_WRITES;
        qmp.expect("blockdev-mirror").thenEmit("BLOCK_JOB_READY", jobEvent());
        qmp.expect("migrate").thenEmit("MIGRATION", Map.of("status", "pre-switchover"));
        qmp.expect("block-job-cancel").thenEmit("BLOCK_JOB_CANCELLED", jobEvent());
        qmp.expect("migrate-continue").thenEmit("MIGRATION", Map.of("status", "completed"));
        List<TypedParam> params = List.of(
                TypedParam.string(MigrateParams.URI, URI),
                TypedParam.string(MigrateParams.DISKS_URI, "unix:///run/dst/nbd.sock"));

        phases.migratePerform3(ref, null, params, destinationCookie(), flags);

        assertThat(qmp.awaitCommand("blockdev-add", Duration.ofSeconds(5)).arguments())
                .containsEntry("server", Map.of("type", "unix", "path", "/run/dst/nbd.sock"));
        assertThat(qmp.awaitCommand("blockdev-mirror", Duration.ofSeconds(5)).arguments())
                .containsEntry("sync", "top")
                .containsEntry("copy-mode", "write-blocking")
                .doesNotContainKey("speed");
        assertThat(qmp.commandNames()).contains("migrate-continue");
        phases.migrateConfirm3(ref, List.of(), null, flags, false);
    }

    @Test
    void aMirrorFailingBeforeReadyFailsPerformAndTheGuestRunsOn() {
        qmp.expect("blockdev-mirror")
                .thenEmit("BLOCK_JOB_ERROR", Map.of("device", JOB, "operation", "write", "action", "report"))
                .thenEmit("BLOCK_JOB_COMPLETED", Map.of("device", JOB, "error", "No space left on device"));

        assertThatThrownBy(() -> phases.migratePerform3(ref, null, PARAMS, destinationCookie(), FLAGS))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_FAILED);
                    assertThat(e.getMessage()).endsWith("migration of disk vda failed: No space left on device");
                });

        assertThat(qmp.commandNames()).doesNotContain("migrate", "block-job-cancel", "cont");
        assertThat(qmp.commandNames()).containsSubsequence("blockdev-mirror", "blockdev-del");
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
        assertThat(conn.jobInfo(ref)).isEqualTo(JobInfo.NONE);
        assertThat(conn.jobStats(ref, JobStatsFlags.COMPLETED))
                .contains(TypedParam.integer("type", JobType.FAILED.wire()));
    }

    @Test
    void aMirrorFailingDuringTheMemoryCopyCancelsBoth() throws Exception {
        qmp.expect("blockdev-mirror").thenEmit("BLOCK_JOB_READY", jobEvent());
        qmp.expect("migrate")
                .thenEmit("MIGRATION", Map.of("status", "setup"))
                .thenEmit("MIGRATION", Map.of("status", "active"));
        CompletableFuture<String> perform = CompletableFuture.supplyAsync(
                () -> phases.migratePerform3(ref, null, PARAMS, destinationCookie(), FLAGS));
        qmp.awaitCommand("migrate", Duration.ofSeconds(10));

        qmp.emit("BLOCK_JOB_COMPLETED", Map.of("device", JOB, "error", "Input/output error"));

        assertThatThrownBy(() -> perform.get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_FAILED);
                    assertThat(e.getMessage()).endsWith("migration of disk vda failed: Input/output error");
                });
        assertThat(qmp.commandNames()).containsSubsequence("migrate", "migrate_cancel", "blockdev-del");
        assertThat(qmp.commandNames()).doesNotContain("block-job-cancel", "migrate-continue");
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
        assertThat(conn.jobInfo(ref)).isEqualTo(JobInfo.NONE);
    }

    @Test
    void abortWhileTheDisksCopyForceCancelsTheMirror() throws Exception {
        qmp.expect("block-job-cancel").thenEmit("BLOCK_JOB_CANCELLED", jobEvent());
        CompletableFuture<String> perform = CompletableFuture.supplyAsync(
                () -> phases.migratePerform3(ref, null, PARAMS, destinationCookie(), FLAGS));
        qmp.awaitCommand("blockdev-mirror", Duration.ofSeconds(10));
        assertThat(conn.jobStats(ref, 0))
                .contains(
                        TypedParam.ullong("disk_total", 67_108_864),
                        TypedParam.ullong("disk_processed", 16_777_216),
                        TypedParam.ullong("disk_remaining", 50_331_648));
        assertThat(conn.jobInfo(ref).fileRemaining()).isEqualTo(50_331_648);

        conn.abortJob(ref);

        assertThatThrownBy(() -> perform.get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_ABORTED);
                    assertThat(e.getMessage()).contains("job 'migration out' canceled by client");
                });
        ReceivedCommand cancel = qmp.awaitCommand("block-job-cancel", Duration.ofSeconds(5));
        assertThat(cancel.arguments()).containsEntry("device", JOB).containsEntry("force", true);
        assertThat(qmp.commandNames()).containsSubsequence("block-job-cancel", "blockdev-del");
        assertThat(qmp.commandNames()).doesNotContain("migrate");
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
        assertThat(conn.jobStats(ref, JobStatsFlags.COMPLETED))
                .contains(TypedParam.integer("type", JobType.CANCELLED.wire()));
    }
}
