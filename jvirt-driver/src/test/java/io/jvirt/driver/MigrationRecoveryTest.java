package io.jvirt.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.StateReason;
import io.jvirt.driver.domain.StatusXml;
import io.jvirt.driver.root.HostRoot;
import io.jvirt.testing.FakeQmp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code MigrationRecovery}: a driver opening a root whose last driver died during a migration settles the job per
 * phase and side as libvirt's recovery does, with QEMU's migration status ({@code query-migrate}) scripted.
 */
class MigrationRecoveryTest {
    private static final String OUT = "migration out";
    private static final String IN = "migration in";

    @TempDir
    Path dir;

    private HostRoot root;
    private FakeQmp qmp;
    private StandInQemu qemu;

    @BeforeEach
    void setUp() throws Exception {
        root = new HostRoot(dir.resolve("root")).create();
        qmp = FakeQmp.start();
        qmp.expect("query-migrate-capabilities").reply(List.of()).repeatedly();
    }

    @AfterEach
    void cleanUp() throws Exception {
        qmp.close();
        if (qemu != null) {
            qemu.close();
        }
    }

    /** The stand-in QEMU of a persistent domain "g" left in {@code phase} of a job, its state {@code reason}. */
    private void leftIn(String async, String phase, StateReason reason, boolean running, String qemuMigration)
            throws Exception {
        qmp.expect("query-status")
                .reply(Map.of("status", running ? "running" : "paused", "running", running))
                .repeatedly();
        qmp.expect("query-migrate")
                .reply(qemuMigration == null ? Map.of() : Map.of("status", qemuMigration))
                .repeatedly();
        // Where a driver's status file points (and a later restart looks): the fake's socket, under that name.
        Files.createDirectories(root.domainRunDir("g"));
        Files.createSymbolicLink(root.monitorSocket("g"), qmp.socketPath());
        qemu = new StandInQemu("g")
                .define(root)
                .leaveStatus(root, root.monitorSocket("g"), reason, new StatusXml.Job(async, phase, 0x1));
    }

    private StateReason reasonAfterOpen() {
        try (Connection conn = QemuDriver.open("qemu:///embed?root=" + root.dir(), root)) {
            return conn.state(conn.lookupByName("g")).reason();
        }
    }

    /** The driver ended the QEMU: the domain is shut off with {@code reason}, the process gone, no status file. */
    private void assertEndedAs(StateReason reason) throws Exception {
        assertThat(reasonAfterOpen()).isEqualTo(reason);
        assertThat(qemu.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(root.statusFile("g")).doesNotExist();
    }

    private String statusFile() throws Exception {
        return Files.readString(root.statusFile("g"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"begin3", "perform2", "perform3", "confirm3_cancelled"})
    void sourceBeforeTheHandOverCancelsAndResumes(String phase) throws Exception {
        qmp.expect("migrate_cancel").reply(Map.of()).thenEmit("MIGRATION", Map.of("status", "cancelled"));
        leftIn(OUT, phase, StateReason.PAUSED_MIGRATION, false, "active");

        assertThat(reasonAfterOpen()).isEqualTo(StateReason.RUNNING_MIGRATION_CANCELED);
        assertThat(qmp.commandNames()).containsSubsequence("query-migrate", "migrate_cancel", "cont");
        assertThat(qemu.process.isAlive()).isTrue();
        assertThat(statusFile()).contains("reason='migration canceled'").doesNotContain("<job");
    }

    @Test
    void sourceOfALiveMigrationThatNeverStartedIsLeftRunning() throws Exception {
        leftIn(OUT, "perform3", StateReason.RUNNING_BOOTED, true, null);

        assertThat(reasonAfterOpen()).isEqualTo(StateReason.RUNNING_BOOTED);
        assertThat(qmp.commandNames()).doesNotContain("migrate_cancel", "cont");
        assertThat(statusFile()).doesNotContain("<job");
    }

    @Test
    void sourceAfterPerformStaysPausedForTheMigrationsDriverToDecide() throws Exception {
        // A live migration: recorded running, QEMU paused itself at the end of the transfer.
        leftIn(OUT, "perform3_done", StateReason.RUNNING_BOOTED, false, "completed");

        assertThat(reasonAfterOpen()).isEqualTo(StateReason.PAUSED_MIGRATION);
        assertThat(qmp.commandNames()).doesNotContain("migrate_cancel", "cont");
        assertThat(qemu.process.isAlive()).isTrue();
        assertThat(statusFile()).contains("state='paused' reason='migration'").doesNotContain("<job");
    }

    @Test
    void sourceInConfirmIsShutOffMigrated() throws Exception {
        leftIn(OUT, "confirm3", StateReason.PAUSED_MIGRATION, false, "completed");

        assertEndedAs(StateReason.SHUTOFF_MIGRATED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"perform3", "perform3_done", "confirm3_cancelled", "postcopy_failed"})
    void sourceInPostcopyBecomesPausedPostcopyFailedAndStaysRecoverable(String phase) throws Exception {
        leftIn(OUT, phase, StateReason.PAUSED_POSTCOPY, false, "postcopy-paused");

        assertThat(reasonAfterOpen()).isEqualTo(StateReason.PAUSED_POSTCOPY_FAILED);
        assertThat(qmp.commandNames()).doesNotContain("migrate_cancel", "cont");
        assertThat(qemu.process.isAlive()).isTrue();
        assertThat(statusFile())
                .contains("reason='post-copy failed'")
                .contains("async='migration out' phase='postcopy_failed'");
        assertThat(reasonAfterOpen())
                .as("a second restart finds the failed post-copy again")
                .isEqualTo(StateReason.PAUSED_POSTCOPY_FAILED);
        assertThat(qemu.process.isAlive()).isTrue();
    }

    @Test
    void sourceWhosePostcopyCompletedMeanwhileIsShutOffMigrated() throws Exception {
        leftIn(OUT, "perform3_done", StateReason.PAUSED_POSTCOPY, false, "completed");

        assertEndedAs(StateReason.SHUTOFF_MIGRATED);
    }

    @Test
    void destinationInPrepareEndsTheIncomingQemu() throws Exception {
        leftIn(IN, "prepare", StateReason.PAUSED_MIGRATION, false, "active");

        assertEndedAs(StateReason.SHUTOFF_FAILED);
    }

    @Test
    void destinationInFinishWithTheGuestRunningCompletes() throws Exception {
        leftIn(IN, "finish3", StateReason.RUNNING_MIGRATED, true, "completed");

        assertThat(reasonAfterOpen()).isEqualTo(StateReason.RUNNING_MIGRATED);
        assertThat(qemu.process.isAlive()).isTrue();
        assertThat(statusFile()).doesNotContain("<job");
    }

    @ParameterizedTest
    @ValueSource(strings = {"completed", "active", "failed"})
    void destinationInFinishNotYetRunningIsEnded(String qemuMigration) throws Exception {
        // The source got no answer from Finish and resumes its own copy: this one must not run too.
        leftIn(IN, "finish3", StateReason.PAUSED_MIGRATION, false, qemuMigration);

        assertEndedAs(StateReason.SHUTOFF_FAILED);
        assertThat(qmp.commandNames()).doesNotContain("cont");
    }

    @Test
    void destinationInVersion2FinishResumesWhatQemuReceivedCompletely() throws Exception {
        // v2's Perform stopped the source already: the guest lives on only here.
        leftIn(IN, "finish2", StateReason.PAUSED_MIGRATION, false, "completed");

        assertThat(reasonAfterOpen()).isEqualTo(StateReason.RUNNING_MIGRATED);
        assertThat(qmp.commandNames()).contains("cont");
        assertThat(statusFile()).contains("state='running' reason='migrated'").doesNotContain("<job");
    }

    @Test
    void destinationInVersion2FinishWithAFailedTransferIsEnded() throws Exception {
        leftIn(IN, "finish2", StateReason.PAUSED_MIGRATION, false, "failed");

        assertEndedAs(StateReason.SHUTOFF_FAILED);
        assertThat(qmp.commandNames()).doesNotContain("cont");
    }

    @ParameterizedTest
    @ValueSource(strings = {"prepare", "finish3", "postcopy_failed"})
    void destinationInPostcopyKeepsRunningPostcopyFailedAndStaysRecoverable(String phase) throws Exception {
        leftIn(IN, phase, StateReason.RUNNING_POSTCOPY, true, "postcopy-paused");

        assertThat(reasonAfterOpen()).isEqualTo(StateReason.RUNNING_POSTCOPY_FAILED);
        assertThat(qemu.process.isAlive()).isTrue();
        assertThat(statusFile())
                .contains("reason='post-copy failed'")
                .contains("async='migration in' phase='postcopy_failed'");
        assertThat(reasonAfterOpen()).isEqualTo(StateReason.RUNNING_POSTCOPY_FAILED);
    }

    @Test
    void destinationInPrepareThatSwitchedToPostcopyIsNotKilled() throws Exception {
        // The status file still says prepare (Finish never came), but QEMU runs the guest in post-copy.
        leftIn(IN, "prepare", StateReason.PAUSED_MIGRATION, true, "postcopy-active");

        assertThat(reasonAfterOpen()).isEqualTo(StateReason.RUNNING_POSTCOPY_FAILED);
        assertThat(qemu.process.isAlive()).isTrue();
    }

    @Test
    void sourceWhosePostcopyStillRunsIsShutOffWhenQemuCompletesIt() throws Exception {
        leftIn(OUT, "perform3_done", StateReason.PAUSED_POSTCOPY, false, "postcopy-active");

        try (Connection conn = QemuDriver.open("qemu:///embed?root=" + root.dir(), root)) {
            DomainRef ref = conn.lookupByName("g");
            assertThat(conn.state(ref).reason()).isEqualTo(StateReason.PAUSED_POSTCOPY_FAILED);
            qmp.emit("MIGRATION", Map.of("status", "completed"));
            await().atMost(Duration.ofSeconds(15)).until(() -> !conn.isActive(ref));
            assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_MIGRATED);
        }
        assertThat(qemu.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(root.statusFile("g")).doesNotExist();
    }

    @Test
    void destinationWhosePostcopyStillRunsRunsOnMigratedWhenQemuCompletesIt() throws Exception {
        leftIn(IN, "prepare", StateReason.RUNNING_POSTCOPY, true, "postcopy-active");

        try (Connection conn = QemuDriver.open("qemu:///embed?root=" + root.dir(), root)) {
            DomainRef ref = conn.lookupByName("g");
            assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_POSTCOPY_FAILED);
            qmp.emit("MIGRATION", Map.of("status", "completed"));
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> conn.state(ref).reason() == StateReason.RUNNING_MIGRATED);
        }
        assertThat(qemu.process.isAlive()).isTrue();
        assertThat(statusFile()).contains("state='running' reason='migrated'").doesNotContain("<job");
    }
}
