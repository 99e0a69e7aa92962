package io.jvirt.driver.migration;

import static io.jvirt.driver.migration.StandInDriver.cap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainEventDetail;
import io.jvirt.api.DomainEventType;
import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.JobInfo;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.driver.migration.cookie.MigrationCookie;
import io.jvirt.driver.migration.cookie.MigrationCookieXml;
import io.jvirt.driver.root.HostRoot;
import io.jvirt.testing.FakeQmp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source side around post-copy, through the embedded driver with a scripted monitor (as in
 * {@link MigrationSourcePhaseTest}): QEMU's MIGRATION_PASS events reach event listeners as migration iterations,
 * and a migration that fails after the switch to post-copy leaves the guest paused (post-copy failed) instead of
 * cancelling the migration and resuming a guest whose newer memory is on the destination.
 */
class MigrationSourcePostcopyTest {
    private static final List<TypedParam> PARAMS = List.of(TypedParam.string(MigrateParams.URI, "tcp:127.0.0.1:49152"));
    private static final long POSTCOPY = MigrateFlags.LIVE | MigrateFlags.CHANGE_PROTECTION | MigrateFlags.POSTCOPY;

    @TempDir
    Path dir;

    private final UUID uuid = UUID.randomUUID();
    private final List<DomainEvent> events = new CopyOnWriteArrayList<>();
    private StandInDriver guest;
    private HostRoot root;
    private FakeQmp qmp;
    private Process qemu;
    private Connection conn;
    private MigrationPhases phases;
    private DomainRef ref;
    private AutoCloseable listening;

    @BeforeEach
    void reconnect() throws Exception {
        guest = StandInDriver.open(dir, uuid, monitor -> {
            monitor.expect("query-migrate-capabilities")
                    .reply(List.of(cap("events"), cap("postcopy-ram"), cap("return-path")))
                    .repeatedly();
            monitor.expect("query-migrate-parameters")
                    .reply(Map.of("max-bandwidth", 134_217_728))
                    .repeatedly();
        });
        root = guest.root();
        qmp = guest.qmp();
        qemu = guest.qemu();
        conn = guest.conn();
        phases = MigrationPhases.of(conn);
        ref = guest.ref();
        listening = conn.addDomainEventListener(events::add);
    }

    @AfterEach
    void tearDown() throws Exception {
        listening.close();
        guest.close();
    }

    private String destinationCookie() {
        return MigrationCookieXml.format(MigrationCookie.of("g1", uuid, "dst.example.org", UUID.randomUUID()));
    }

    /** Begin and Perform up to QEMU's switch to post-copy: the source is paused (post-copy) and waits for Confirm. */
    private void performUntilPostcopy() {
        phases.migrateBegin3(ref, List.of(), POSTCOPY);
        qmp.expect("migrate")
                .thenEmit("MIGRATION", Map.of("status", "setup"))
                .thenEmit("MIGRATION", Map.of("status", "active"))
                .thenEmit("MIGRATION", Map.of("status", "postcopy-active"));
        phases.migratePerform3(ref, null, PARAMS, destinationCookie(), POSTCOPY);
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.PAUSED_POSTCOPY);
    }

    private DomainEvent.Lifecycle postcopyFailedEvent() {
        return new DomainEvent.Lifecycle(ref, DomainEventType.SUSPENDED, DomainEventDetail.SUSPENDED_POSTCOPY_FAILED);
    }

    @Test
    void eachPassOverMemoryDuringAMigrationIsAMigrationIterationEvent() throws Exception {
        qmp.expect("migrate")
                .thenEmit("MIGRATION", Map.of("status", "setup"))
                .thenEmit("MIGRATION_PASS", Map.of("pass", 1))
                .thenEmit("MIGRATION", Map.of("status", "active"))
                .thenEmit("MIGRATION_PASS", Map.of("pass", 2));
        CompletableFuture<String> perform = CompletableFuture.supplyAsync(
                () -> phases.migratePerform3(ref, null, PARAMS, destinationCookie(), MigrateFlags.LIVE));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(events)
                        .filteredOn(DomainEvent.MigrationIteration.class::isInstance)
                        .containsExactly(
                                new DomainEvent.MigrationIteration(ref, 1),
                                new DomainEvent.MigrationIteration(ref, 2)));

        qmp.emit("MIGRATION", Map.of("status", "completed"));
        perform.get(20, TimeUnit.SECONDS);
    }

    @Test
    void aPassWithoutAMigrationJobIsNoEvent() throws Exception {
        qmp.emit("MIGRATION_PASS", Map.of("pass", 7));
        // The lifecycle event of a pause that QEMU reports after it shows the pass was handled before it.
        qmp.emit("STOP", Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
        assertThat(events).noneMatch(DomainEvent.MigrationIteration.class::isInstance);
    }

    @Test
    void aFailedFinishAfterTheSwitchLeavesTheSourcePausedPostcopyFailed() throws Exception {
        performUntilPostcopy();

        phases.migrateConfirm3(ref, List.of(), null, POSTCOPY, true);

        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.PAUSED_POSTCOPY_FAILED);
        assertThat(qmp.commandNames())
                .as("no cancel, no resume, QEMU's settings left for a recovery")
                .doesNotContain("migrate_cancel", "cont")
                .containsOnlyOnce("migrate-set-capabilities");
        assertThat(qemu.isAlive())
                .as("the source QEMU still holds pages the destination misses")
                .isTrue();
        assertThat(conn.jobInfo(ref)).isEqualTo(JobInfo.NONE);
        assertThat(Files.readString(root.statusFile("g1")))
                .contains("post-copy failed")
                .doesNotContain("<job");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(events).contains(postcopyFailedEvent()));
        assertThat(events).noneMatch(e -> e instanceof DomainEvent.Lifecycle l && l.type() == DomainEventType.RESUMED);
    }

    @Test
    void aFailedFinishAfterQemuCompletedThePostcopyMigrationStillEndsTheSource() throws Exception {
        performUntilPostcopy();
        qmp.emit("MIGRATION", Map.of("status", "completed"));
        // Monitor events are handled in QEMU's order: once a later event is seen, "completed" was taken in.
        qmp.emit("MIGRATION_PASS", Map.of("pass", 99));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(events).contains(new DomainEvent.MigrationIteration(ref, 99)));

        phases.migrateConfirm3(ref, List.of(), null, POSTCOPY, true);

        assertThat(qemu.waitFor(10, TimeUnit.SECONDS))
                .as("the source QEMU is ended")
                .isTrue();
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_MIGRATED);
        assertThat(qmp.commandNames()).doesNotContain("migrate_cancel", "cont");
    }

    @Test
    void aConnectionLostDuringPostcopyFailsConfirmAndLeavesTheSourcePausedPostcopyFailed() throws Exception {
        performUntilPostcopy();
        qmp.emit("MIGRATION", Map.of("status", "postcopy-paused"));

        assertThatThrownBy(() -> phases.migrateConfirm3(ref, List.of(), null, POSTCOPY, false))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_FAILED);
                    assertThat(e.getMessage()).contains("job 'migration out' failed in post-copy phase");
                });

        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.PAUSED_POSTCOPY_FAILED);
        assertThat(qemu.isAlive()).isTrue();
        assertThat(qmp.commandNames()).doesNotContain("migrate_cancel", "cont");
        assertThat(conn.jobInfo(ref)).isEqualTo(JobInfo.NONE);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(events).contains(postcopyFailedEvent()));
    }

    @Test
    void aFailedFinishBeforeAnySwitchStillResumesTheSource() throws Exception {
        phases.migrateBegin3(ref, List.of(), POSTCOPY);
        qmp.expect("migrate")
                .thenEmit("MIGRATION", Map.of("status", "setup"))
                .thenEmit("MIGRATION", Map.of("status", "completed"));
        phases.migratePerform3(ref, null, PARAMS, destinationCookie(), POSTCOPY);

        phases.migrateConfirm3(ref, List.of(), null, POSTCOPY, true);

        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_MIGRATION_CANCELED);
        assertThat(qmp.commandNames()).contains("cont");
    }
}
