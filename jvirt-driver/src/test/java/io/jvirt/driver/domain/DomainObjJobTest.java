package io.jvirt.driver.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainXml;
import io.jvirt.driver.job.AsyncJobKind;
import io.jvirt.driver.job.DomainJob;
import io.jvirt.driver.job.SyncJobKind;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The domain's job slots: who waits for whom, for how long, and what an async job lets through. */
class DomainObjJobTest {
    private static final long SHORT_MILLIS = 200;
    private static final long LONG_MILLIS = 20_000;

    private final DomainObj dom = new DomainObj(DomainXml.parse("<domain type='qemu'><name>g1</name><uuid>"
            + UUID.randomUUID() + "</uuid><memory unit='KiB'>65536</memory><vcpu>1</vcpu>"
            + "<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>"));
    private Thread waiter;

    @AfterEach
    void stopWaiter() throws InterruptedException {
        if (waiter != null) {
            waiter.interrupt();
            waiter.join(Duration.ofSeconds(10));
        }
    }

    @Test
    void modifyJobWaitsForTheRunningOneAndTimesOutNamingIt() {
        DomainObj.Job held = dom.beginJob("suspend", SyncJobKind.SUSPEND, null, SHORT_MILLIS);
        long start = System.nanoTime();
        assertThatThrownBy(() -> dom.beginJob("resume", SHORT_MILLIS))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_TIMEOUT);
                    assertThat(e.getMessage()).contains("cannot acquire state change lock (held by suspend)");
                });
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(SHORT_MILLIS);
        assertThat(dom.jobActive()).isTrue();
        held.close();
        assertThat(dom.jobActive()).isFalse();
        assertThatCode(() -> dom.beginJob("resume", SHORT_MILLIS).close()).doesNotThrowAnyException();
    }

    @Test
    void evenAQueryWaitsForAShortJob() {
        try (DomainObj.Job _ = dom.beginJob("destroy", SyncJobKind.DESTROY, null, SHORT_MILLIS)) {
            assertTimesOut(SyncJobKind.QUERY, null, "held by destroy");
        }
    }

    @Test
    void releasingAShortJobWakesTheWaiter() throws Exception {
        DomainObj.Job held = dom.beginJob("suspend", SHORT_MILLIS);
        CompletableFuture<DomainObj.Job> next = waitInBackground(SyncJobKind.MODIFY, null);
        held.close();
        next.get(10, TimeUnit.SECONDS).close();
    }

    @ParameterizedTest
    @EnumSource(SyncJobKind.class)
    void outgoingMigrationLetsThroughWhatLibvirtAllows(SyncJobKind kind) {
        dom.startAsyncJob(new DomainJob(AsyncJobKind.MIGRATION_OUT), "migration out", SHORT_MILLIS);
        Set<SyncJobKind> allowed = EnumSet.of(
                SyncJobKind.QUERY,
                SyncJobKind.DESTROY,
                SyncJobKind.ABORT,
                SyncJobKind.SUSPEND,
                SyncJobKind.MIGRATION_OP,
                SyncJobKind.MODIFY_MIGRATION_SAFE);
        if (allowed.contains(kind)) {
            assertThatCode(() -> dom.beginJob("x", kind, null, SHORT_MILLIS).close())
                    .doesNotThrowAnyException();
        } else {
            assertTimesOut(kind, null, "held by async job 'migration out'");
        }
    }

    @ParameterizedTest
    @EnumSource(SyncJobKind.class)
    void incomingMigrationLetsThroughOnlyDestroyAndMigrationSafeChanges(SyncJobKind kind) {
        dom.startAsyncJob(new DomainJob(AsyncJobKind.MIGRATION_IN), "migration in", SHORT_MILLIS);
        if (kind == SyncJobKind.DESTROY || kind == SyncJobKind.MODIFY_MIGRATION_SAFE) {
            assertThatCode(() -> dom.beginJob("x", kind, null, SHORT_MILLIS).close())
                    .doesNotThrowAnyException();
        } else {
            assertTimesOut(kind, null, "held by async job 'migration in'");
        }
    }

    @Test
    void allowedShortJobsStillRunOneAtATimeUnderAnAsyncJob() {
        dom.startAsyncJob(new DomainJob(AsyncJobKind.MIGRATION_OUT), "migration out", SHORT_MILLIS);
        try (DomainObj.Job _ = dom.beginJob("migrate-setspeed", SyncJobKind.MIGRATION_OP, null, SHORT_MILLIS)) {
            assertTimesOut(SyncJobKind.QUERY, null, "held by migrate-setspeed");
        }
    }

    @Test
    void theOwnerOfTheAsyncJobPassesWhateverItsKind() {
        DomainJob job = new DomainJob(AsyncJobKind.MIGRATION_IN);
        dom.startAsyncJob(job, "migration in", SHORT_MILLIS);
        assertThatCode(() -> dom.beginJob("start", SyncJobKind.MODIFY, job, SHORT_MILLIS)
                        .close())
                .doesNotThrowAnyException();
        assertTimesOut(SyncJobKind.MODIFY, new DomainJob(AsyncJobKind.MIGRATION_IN), "async job 'migration in'");
    }

    @Test
    void aSecondAsyncJobWaitsForTheFirst() {
        DomainJob first = new DomainJob(AsyncJobKind.MIGRATION_OUT);
        dom.startAsyncJob(first, "migration out", SHORT_MILLIS);
        DomainJob second = new DomainJob(AsyncJobKind.MIGRATION_OUT);
        assertThatThrownBy(() -> dom.startAsyncJob(second, "migration out", SHORT_MILLIS))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_TIMEOUT);
                    assertThat(e.getMessage()).contains("held by async job 'migration out'");
                });
        assertThat(dom.asyncJob()).isSameAs(first);
    }

    @Test
    void anAsyncJobWaitsForTheShortJobRunningWhenItStarts() {
        try (DomainObj.Job _ = dom.beginJob("reboot", SHORT_MILLIS)) {
            assertThatThrownBy(() ->
                            dom.startAsyncJob(new DomainJob(AsyncJobKind.MIGRATION_OUT), "migration out", SHORT_MILLIS))
                    .isInstanceOfSatisfying(
                            VirtException.class,
                            e -> assertThat(e.getMessage())
                                    .contains("cannot acquire state change lock (held by reboot)"));
        }
        assertThat(dom.asyncJob()).isNull();
    }

    @Test
    void endAsyncJobWakesTheChangesWaitingForIt() throws Exception {
        DomainJob job = new DomainJob(AsyncJobKind.MIGRATION_OUT);
        dom.startAsyncJob(job, "migration out", SHORT_MILLIS);
        assertThat(dom.jobActive()).isTrue();
        CompletableFuture<DomainObj.Job> modify = waitInBackground(SyncJobKind.MODIFY, null);
        dom.endAsyncJob(job);
        modify.get(10, TimeUnit.SECONDS).close();
        assertThat(dom.asyncJob()).isNull();
        assertThat(dom.jobActive()).isFalse();
    }

    @Test
    void endingAJobThatIsNoLongerCurrentChangesNothing() {
        DomainJob old = new DomainJob(AsyncJobKind.MIGRATION_OUT);
        dom.startAsyncJob(old, "migration out", SHORT_MILLIS);
        dom.endAsyncJob(old);
        DomainJob current = new DomainJob(AsyncJobKind.MIGRATION_IN);
        dom.startAsyncJob(current, "migration in", SHORT_MILLIS);

        dom.endAsyncJob(old);

        assertThat(dom.asyncJob()).isSameAs(current);
        assertTimesOut(SyncJobKind.MODIFY, null, "held by async job 'migration in'");
    }

    @Test
    void aWaiterThatIsInterruptedFailsAsAborted() {
        DomainJob job = new DomainJob(AsyncJobKind.MIGRATION_OUT);
        dom.startAsyncJob(job, "migration out", SHORT_MILLIS);
        CompletableFuture<DomainObj.Job> modify = waitInBackground(SyncJobKind.MODIFY, null);
        waiter.interrupt();
        assertThatThrownBy(() -> modify.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_ABORTED);
                    assertThat(e.getMessage()).contains("interrupted waiting for waiter");
                });
        assertThat(dom.asyncJob()).isSameAs(job);
    }

    private void assertTimesOut(SyncJobKind kind, DomainJob owner, String holder) {
        assertThatThrownBy(() -> dom.beginJob("x", kind, owner, SHORT_MILLIS).close())
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_TIMEOUT);
                    assertThat(e.getMessage())
                            .contains("cannot acquire state change lock")
                            .contains(holder);
                });
    }

    /** Starts a job request on a platform thread and returns once that thread is parked waiting for the slot. */
    private CompletableFuture<DomainObj.Job> waitInBackground(SyncJobKind kind, DomainJob owner) {
        CompletableFuture<DomainObj.Job> result = new CompletableFuture<>();
        waiter = Thread.ofPlatform().name("job-waiter").start(() -> {
            try {
                result.complete(dom.beginJob("waiter", kind, owner, LONG_MILLIS));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
        assertThat(result).isNotDone();
        return result;
    }
}
