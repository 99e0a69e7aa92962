package io.jvirt.driver.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.AbortJobFlags;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateSpeedFlags;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.job.AsyncJobKind;
import io.jvirt.driver.job.DomainJob;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorListener;
import io.jvirt.qmp.wire.QmpMonitor;
import io.jvirt.testing.FakeQmp;
import io.jvirt.testing.ReceivedCommand;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Steering a migration (speed, downtime, post-copy, abort) on a domain whose QEMU is a scripted monitor. */
class MigrationControlTest {
    private static final long MIB = 1024 * 1024;
    private static final long LIBVIRT_MAX_MIBPS = 8_796_093_022_207L;

    private FakeQmp qmp;
    private Monitor monitor;
    private DomainDef def;
    private DomainObj dom;

    @BeforeEach
    void connect() throws Exception {
        qmp = FakeQmp.start();
        monitor = QmpMonitor.connect(qmp.socketPath(), "g1", MonitorListener.ignoring(), Duration.ofSeconds(5));
        def = DomainXml.parse("<domain type='qemu'><name>g1</name><uuid>" + UUID.randomUUID()
                + "</uuid><memory unit='KiB'>65536</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>");
        dom = new DomainObj(def);
    }

    @AfterEach
    void close() {
        monitor.close();
        qmp.close();
    }

    private void activate() {
        dom.markActive(3, new QemuRun(-1, monitor, false), def.withId(3), StateReason.RUNNING_BOOTED);
    }

    private MigrationJob outgoing(long flags) {
        MigrationJob job = new MigrationJob(AsyncJobKind.MIGRATION_OUT, flags, true);
        dom.startAsyncJob(job, "migration out", 1_000);
        return job;
    }

    @Test
    void speedOfAnInactiveDomainIsOnlyKeptForTheNextMigration() {
        assertThat(MigrationControl.maxSpeed(dom, 0)).isEqualTo(LIBVIRT_MAX_MIBPS);
        MigrationControl.setMaxSpeed(dom, 100, 0);
        assertThat(MigrationControl.maxSpeed(dom, 0)).isEqualTo(100);
        assertThat(qmp.commandNames()).doesNotContain("migrate-set-parameters");
    }

    @Test
    void speedAboveLibvirtsLimitOverflows() {
        MigrationControl.setMaxSpeed(dom, LIBVIRT_MAX_MIBPS, 0);
        assertThat(dom.migrationMaxSpeed()).isEqualTo(LIBVIRT_MAX_MIBPS);
        assertFails(
                () -> MigrationControl.setMaxSpeed(dom, LIBVIRT_MAX_MIBPS + 1, 0),
                ErrorCode.OVERFLOW,
                "bandwidth must be less than 8796093022208");
        assertThat(dom.migrationMaxSpeed()).isEqualTo(LIBVIRT_MAX_MIBPS);
    }

    @Test
    void postcopySpeedNeedsARunningDomain() {
        assertFails(
                () -> MigrationControl.setMaxSpeed(dom, 10, MigrateSpeedFlags.POSTCOPY),
                ErrorCode.OPERATION_INVALID,
                "domain is not running");
    }

    @Test
    void speedOfARunningDomainGoesToQemuInBytesPerSecond() throws Exception {
        activate();
        MigrationControl.setMaxSpeed(dom, 100, 0);
        ReceivedCommand set = qmp.awaitCommand("migrate-set-parameters", Duration.ofSeconds(5));
        assertThat(((Number) set.arguments().get("max-bandwidth")).longValue()).isEqualTo(100 * MIB);
        assertThat(dom.migrationMaxSpeed()).isEqualTo(100);
    }

    @Test
    void speedChangesReachQemuDuringAnOutgoingMigration() throws Exception {
        activate();
        outgoing(0);
        MigrationControl.setMaxSpeed(dom, 7, 0);
        MigrationControl.setMaxDowntime(dom, 250);
        assertThat(((Number) qmp.awaitCommand("migrate-set-parameters", Duration.ofSeconds(5))
                                .arguments()
                                .get("max-bandwidth"))
                        .longValue())
                .isEqualTo(7 * MIB);
        assertThat(((Number) qmp.awaitCommand("migrate-set-parameters", Duration.ofSeconds(5))
                                .arguments()
                                .get("downtime-limit"))
                        .longValue())
                .isEqualTo(250);
    }

    @Test
    void postcopySpeedIsQemusOwnParameterAndNotKept() throws Exception {
        activate();
        MigrationControl.setMaxSpeed(dom, 5, MigrateSpeedFlags.POSTCOPY);
        ReceivedCommand set = qmp.awaitCommand("migrate-set-parameters", Duration.ofSeconds(5));
        assertThat(set.arguments()).containsOnlyKeys("max-postcopy-bandwidth");
        assertThat(((Number) set.arguments().get("max-postcopy-bandwidth")).longValue())
                .isEqualTo(5 * MIB);
        assertThat(dom.migrationMaxSpeed()).isEqualTo(LIBVIRT_MAX_MIBPS);

        qmp.expect("query-migrate-parameters").reply(Map.of("max-postcopy-bandwidth", 9 * MIB));
        assertThat(MigrationControl.maxSpeed(dom, MigrateSpeedFlags.POSTCOPY)).isEqualTo(9);
    }

    @Test
    void qemuRefusingTheSpeedLeavesTheKeptValue() {
        activate();
        qmp.expect("migrate-set-parameters").replyError("GenericError", "Parameter 'max_bandwidth' expects ...");
        assertFails(() -> MigrationControl.setMaxSpeed(dom, 100, 0), ErrorCode.INTERNAL_ERROR, "max_bandwidth");
        assertThat(dom.migrationMaxSpeed()).isEqualTo(LIBVIRT_MAX_MIBPS);
        assertThat(dom.jobActive()).as("the short job is released").isFalse();
    }

    @Test
    void downtimeMustNotBeNegativeAndIsReadFromQemu() {
        assertFails(() -> MigrationControl.setMaxDowntime(dom, -1), ErrorCode.INVALID_ARG, "must not be negative");
        activate();
        qmp.expect("query-migrate-parameters").reply(Map.of("downtime-limit", 300));
        assertThat(MigrationControl.maxDowntime(dom)).isEqualTo(300);
        qmp.expect("query-migrate-parameters").reply(Map.of("max-bandwidth", 1));
        assertFails(
                () -> MigrationControl.maxDowntime(dom),
                ErrorCode.OPERATION_UNSUPPORTED,
                "Querying migration downtime is not supported by QEMU binary");
    }

    @Test
    void downtimeOfAnInactiveDomainIsRefused() {
        assertFails(
                () -> MigrationControl.setMaxDowntime(dom, 10), ErrorCode.OPERATION_INVALID, "domain is not running");
    }

    @Test
    void postcopyNeedsAnOutgoingMigrationStartedForIt() throws Exception {
        activate();
        assertFails(
                () -> MigrationControl.startPostCopy(dom),
                ErrorCode.OPERATION_INVALID,
                "post-copy can only be started while outgoing migration is in progress");
        MigrationJob plain = outgoing(MigrateFlags.LIVE);
        assertFails(
                () -> MigrationControl.startPostCopy(dom),
                ErrorCode.OPERATION_INVALID,
                "switching to post-copy requires migration to be started with VIR_MIGRATE_POSTCOPY flag");
        dom.endAsyncJob(plain);

        MigrationJob job = outgoing(MigrateFlags.LIVE | MigrateFlags.POSTCOPY);
        MigrationControl.startPostCopy(dom);
        qmp.awaitCommand("migrate-start-postcopy", Duration.ofSeconds(5));
        assertThat(job.postcopyStarted()).isTrue();
    }

    @Test
    void postcopyIsNotStartedForAnIncomingMigration() {
        activate();
        dom.startAsyncJob(
                new MigrationJob(AsyncJobKind.MIGRATION_IN, MigrateFlags.POSTCOPY, false), "migration in", 1_000);
        assertFails(
                () -> MigrationControl.startPostCopy(dom),
                ErrorCode.OPERATION_INVALID,
                "post-copy can only be started while outgoing migration is in progress");
    }

    @Test
    void anIncomingMigrationCannotBeAborted() {
        MigrationJob incoming = new MigrationJob(AsyncJobKind.MIGRATION_IN, 0, false);
        AtomicBoolean hook = new AtomicBoolean();
        incoming.setAbortHook(() -> hook.set(true));
        assertFails(
                () -> MigrationControl.abort(dom, incoming, 0),
                ErrorCode.OPERATION_INVALID,
                "cannot abort incoming migration; use virDomainDestroy instead");
        assertThat(incoming.abortRequested()).isFalse();
        assertThat(hook).isFalse();
    }

    @Test
    void abortOfAnOutgoingMigrationRunsItsHook() {
        MigrationJob job = new MigrationJob(AsyncJobKind.MIGRATION_OUT, 0, true);
        AtomicBoolean hook = new AtomicBoolean();
        job.setAbortHook(() -> hook.set(true));
        MigrationControl.abort(dom, job, 0);
        assertThat(job.abortRequested()).isTrue();
        assertThat(hook).isTrue();
    }

    @Test
    void abortWithPostcopyFlagNeedsPostcopy() {
        MigrationJob job = new MigrationJob(AsyncJobKind.MIGRATION_OUT, MigrateFlags.POSTCOPY, true);
        assertFails(
                () -> MigrationControl.abort(dom, job, AbortJobFlags.POSTCOPY),
                ErrorCode.OPERATION_INVALID,
                "current job is not outgoing migration in post-copy mode");
        assertThat(job.abortRequested()).isFalse();
        DomainJob save = new DomainJob(AsyncJobKind.SAVE);
        assertFails(
                () -> MigrationControl.abort(dom, save, AbortJobFlags.POSTCOPY),
                ErrorCode.OPERATION_INVALID,
                "not outgoing migration in post-copy mode");
    }

    @Test
    void inPostcopyAbortOnlyPausesAndOnlyWhenAsked() throws Exception {
        activate();
        MigrationJob job = new MigrationJob(AsyncJobKind.MIGRATION_OUT, MigrateFlags.POSTCOPY, true);
        job.markPostcopyStarted();
        assertFails(
                () -> MigrationControl.abort(dom, job, 0),
                ErrorCode.OPERATION_INVALID,
                "cannot abort migration in post-copy mode");
        MigrationControl.abort(dom, job, AbortJobFlags.POSTCOPY);
        qmp.awaitCommand("migrate-pause", Duration.ofSeconds(5));
        assertThat(job.abortRequested())
                .as("post-copy cannot be undone, only paused")
                .isFalse();
        assertThat(qmp.commandNames()).doesNotContain("migrate_cancel");
    }

    private static void assertFails(ThrowingCallable call, ErrorCode code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(VirtException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
