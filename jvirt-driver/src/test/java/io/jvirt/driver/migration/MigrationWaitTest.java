package io.jvirt.driver.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.job.AsyncJobKind;
import io.jvirt.qmp.MigrationStatus;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorEvent;
import io.jvirt.qmp.MonitorListener;
import io.jvirt.qmp.wire.QmpMonitor;
import io.jvirt.testing.FakeQmp;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wait for QEMU's migration to end, against a QEMU run whose monitor is a scripted fake: what each ending
 * becomes, and the cancel-and-settle of a rollback. MIGRATION events
 * reach the run as the driver's event handler forwards them; a dropped monitor ends the run.
 */
class MigrationWaitTest {
    private static final String JOB = "migration out";

    private FakeQmp qmp;
    private Monitor monitor;
    private QemuRun run;
    private MigrationJob job;

    @BeforeEach
    void connect() throws Exception {
        qmp = FakeQmp.start();
        AtomicReference<QemuRun> current = new AtomicReference<>();
        monitor = QmpMonitor.connect(
                qmp.socketPath(),
                "g1",
                new MonitorListener() {
                    @Override
                    public void onEvent(MonitorEvent event) {
                        if (event instanceof MonitorEvent.Migration m) {
                            current.get().migrationStatus(m.state());
                        }
                    }

                    @Override
                    public void onClosed(Throwable cause) {
                        current.get().markEnded();
                    }
                },
                Duration.ofSeconds(5));
        run = new QemuRun(-1, monitor, false);
        current.set(run);
        job = new MigrationJob(AsyncJobKind.MIGRATION_OUT, 0, true);
        job.attach(monitor);
    }

    @AfterEach
    void close() {
        monitor.close();
        qmp.close();
    }

    @Test
    void awaitReturnsCompletedAfterQemuSaysSo() throws Exception {
        CompletableFuture<MigrationStatus> end = awaitInBackground(Set.of(), true);
        qmp.emit("MIGRATION", Map.of("status", "setup"));
        qmp.emit("MIGRATION", Map.of("status", "active"));
        qmp.emit("MIGRATION", Map.of("status", "completed"));
        assertThat(end.get(10, TimeUnit.SECONDS)).isEqualTo(MigrationStatus.COMPLETED);
    }

    @Test
    void awaitStopsAtARequestedIntermediateStatus() throws Exception {
        CompletableFuture<MigrationStatus> end = awaitInBackground(Set.of(MigrationStatus.POSTCOPY_ACTIVE), true);
        qmp.emit("MIGRATION", Map.of("status", "active"));
        qmp.emit("MIGRATION", Map.of("status", "postcopy-active"));
        assertThat(end.get(10, TimeUnit.SECONDS)).isEqualTo(MigrationStatus.POSTCOPY_ACTIVE);
    }

    @Test
    void cancelledByQemuIsAbortedByClient() {
        qmp.emit("MIGRATION", Map.of("status", "cancelled"));
        assertFailsWith(
                awaitInBackground(Set.of(), true),
                ErrorCode.OPERATION_ABORTED,
                "job 'migration out' canceled by client");
    }

    @Test
    void failedCarriesQemusErrorDescription() {
        qmp.expect("query-migrate")
                .reply(Map.of("status", "failed", "error-desc", "Unable to write to socket: Connection reset by peer"));
        CompletableFuture<MigrationStatus> end = awaitInBackground(Set.of(), true);
        qmp.emit("MIGRATION", Map.of("status", "failed"));
        assertFailsWith(
                end,
                ErrorCode.OPERATION_FAILED,
                "job 'migration out' failed: Unable to write to socket: Connection reset by peer");
    }

    @Test
    void failedWithoutAReasonSaysSo() {
        qmp.expect("query-migrate").reply(Map.of("status", "failed"));
        qmp.emit("MIGRATION", Map.of("status", "failed"));
        assertFailsWith(
                awaitInBackground(Set.of(), false, "migration in"),
                ErrorCode.OPERATION_FAILED,
                "job 'migration in' failed: unexpectedly failed");
    }

    @Test
    void qemuGoingAwayEndsTheWait() {
        CompletableFuture<MigrationStatus> end = awaitInBackground(Set.of(), true);
        qmp.emit("MIGRATION", Map.of("status", "active"));
        qmp.dropConnection();
        assertFailsWith(
                end, ErrorCode.OPERATION_FAILED, "job 'migration out' failed: QEMU exited (domain is not running)");
    }

    @Test
    void anAbortRequestEndsAnAbortableWait() {
        job.setAbortHook(run::wakeWaiters);
        CompletableFuture<MigrationStatus> end = awaitInBackground(Set.of(), true);
        qmp.emit("MIGRATION", Map.of("status", "active"));
        job.abort();
        assertFailsWith(end, ErrorCode.OPERATION_ABORTED, "job 'migration out' canceled by client");
    }

    @Test
    void anAbortTooLateForACompletedMigrationIsIgnored() throws Exception {
        qmp.emit("MIGRATION", Map.of("status", "completed"));
        await().atMost(Duration.ofSeconds(10)).until(() -> run.migrationStatus() == MigrationStatus.COMPLETED);
        job.abort();
        assertThat(awaitInBackground(Set.of(), true).get(10, TimeUnit.SECONDS)).isEqualTo(MigrationStatus.COMPLETED);
    }

    @Test
    void aWaitThatIsNotAbortableIgnoresAbortRequests() throws Exception {
        job.setAbortHook(run::wakeWaiters);
        CompletableFuture<MigrationStatus> end = awaitInBackground(Set.of(), false);
        job.abort();
        qmp.emit("MIGRATION", Map.of("status", "completed"));
        assertThat(end.get(10, TimeUnit.SECONDS)).isEqualTo(MigrationStatus.COMPLETED);
    }

    @Test
    void cancelAndSettleLeavesQemuAloneWhenNoMigrationRuns() throws Exception {
        MigrationWait.cancelAndSettle(run, "g1");
        for (MigrationStatus done :
                new MigrationStatus[] {MigrationStatus.COMPLETED, MigrationStatus.FAILED, MigrationStatus.CANCELLED}) {
            run.migrationStatus(done);
            MigrationWait.cancelAndSettle(run, "g1");
        }
        assertThat(qmp.commandNames()).doesNotContain("migrate_cancel");
    }

    @Test
    void cancelAndSettleCancelsARunningMigrationAndWaitsForQemu() throws Exception {
        run.migrationStatus(MigrationStatus.ACTIVE);
        qmp.expect("migrate_cancel")
                .thenEmit("MIGRATION", Map.of("status", "cancelling"))
                .thenEmit("MIGRATION", Map.of("status", "cancelled"));
        MigrationWait.cancelAndSettle(run, "g1");
        assertThat(qmp.commandNames()).containsOnlyOnce("migrate_cancel");
        assertThat(run.migrationStatus()).isEqualTo(MigrationStatus.CANCELLED);
    }

    @Test
    void cancelAndSettleReturnsWhenQemuGoesAwayInstead() {
        run.migrationStatus(MigrationStatus.ACTIVE);
        qmp.expect("migrate_cancel").thenDropConnection();
        MigrationWait.cancelAndSettle(run, "g1");
        assertThat(run.ended()).isTrue();
    }

    @Test
    void aRefusedCancelIsOnlyLogged() {
        run.migrationStatus(MigrationStatus.ACTIVE);
        qmp.expect("migrate_cancel").replyError("GenericError", "no migration in progress");
        assertThatCode(() -> MigrationWait.cancelAndSettle(run, "g1")).doesNotThrowAnyException();
        assertThat(qmp.commandNames()).contains("migrate_cancel");
    }

    private CompletableFuture<MigrationStatus> awaitInBackground(Set<MigrationStatus> alsoStopAt, boolean abortable) {
        return awaitInBackground(alsoStopAt, abortable, JOB);
    }

    private CompletableFuture<MigrationStatus> awaitInBackground(
            Set<MigrationStatus> alsoStopAt, boolean abortable, String name) {
        return CompletableFuture.supplyAsync(() -> MigrationWait.await(run, job, alsoStopAt, name, abortable));
    }

    private void assertFailsWith(CompletableFuture<MigrationStatus> end, ErrorCode code, String message) {
        assertThatThrownBy(() -> end.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).contains(message);
                });
    }
}
