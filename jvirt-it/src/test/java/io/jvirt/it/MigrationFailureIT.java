package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.JobStatsFlags;
import io.jvirt.api.JobType;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.MigrationBegin;
import io.jvirt.api.MigrationFinished;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.MigrationPrepared;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.api.XmlFlags;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Failure safety on real QEMU: abort mid-transfer, the destination's QEMU killed mid-transfer, and a failure
 * injected between each pair of phases (the test drives Begin, Prepare, Perform, Finish and Confirm itself). After
 * each, the guest runs on the source and only there, ticking with its memory intact, and the destination has
 * neither the domain nor a QEMU left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
@ExtendWith(NoStrayQemu.class)
class MigrationFailureIT implements NoStrayQemu.Accounted {
    private static final String GUEST = "victim";
    /** Slow enough (384 MiB at 16 MiB/s) that the test acts while the transfer runs. */
    private static final List<TypedParam> SLOW = List.of(TypedParam.ullong(MigrateParams.BANDWIDTH, 16));

    private static final long PROTECTED = MigrateFlags.LIVE | MigrateFlags.CHANGE_PROTECTION;

    private TwoHosts hosts;
    private SerialLog serial;
    private Connection a;
    private Connection b;
    private GuestIntegrity check;
    private StateReason reason;

    @BeforeAll
    void setUp() throws Exception {
        hosts = new TwoHosts("fail");
        a = hosts.a;
        b = hosts.b;
        serial = hosts.boot(GUEST, hosts.guest(GUEST, 0));
    }

    @AfterAll
    void tearDown() throws Exception {
        if (hosts != null) {
            hosts.close();
        }
    }

    @Override
    public void assertNoStrayQemu() throws Exception {
        hosts.assertNoStrayQemu();
    }

    /** Before every case: which QEMU runs the guest on A, and the state it is in. */
    @BeforeEach
    void takeTheCheck() {
        check = hosts.check(serial, GUEST, a);
        reason = a.state(guest()).reason();
    }

    /**
     * The end of every case: the guest runs on A only, in the same QEMU, in state {@code expected}, with no job
     * left; only once B's QEMU is gone does it have to go on ticking and sweeping intact; B has nothing.
     */
    private void assertStayedOnTheSource(StateReason expected) throws Exception {
        DomainRef ref = a.lookupByName(GUEST);
        assertThat(a.jobInfo(ref).type()).as("no job left on the source").isEqualTo(JobType.NONE);
        assertThat(Files.readString(hosts.hostA.statusFile(GUEST))).doesNotContain("<job");
        await().atMost(TwoHosts.TICK).until(() -> !Files.exists(hosts.hostB.statusFile(GUEST)));
        hosts.assertNothingOn(b, hosts.hostB, GUEST);
        check.assertStayed(hosts.guestHost(a), expected).andGoneFrom(hosts.guestHost(b));
    }

    private DomainRef guest() {
        return a.lookupByName(GUEST);
    }

    /** Waits until QEMU on A has sent some memory, and both status files show the migration's phases. */
    private void awaitTransferring() throws java.io.IOException {
        await().atMost(TwoHosts.TICK).until(() -> a.jobInfo(guest()).memProcessed() > 0);
        await().atMost(TwoHosts.TICK)
                .until(() -> Files.readString(hosts.hostA.statusFile(GUEST))
                        .contains("async='migration out' phase='perform3'"));
        assertThat(Files.readString(hosts.hostB.statusFile(GUEST))).contains("async='migration in' phase='prepare'");
    }

    @Test
    @Order(10)
    void abortMidTransferLeavesTheGuestOnTheSource() throws Exception {
        CompletableFuture<DomainRef> migration = TwoHosts.migrateAsync(a, b, GUEST, SLOW, MigrateFlags.LIVE);
        awaitTransferring();
        assertThat(TypedParam.find(a.jobStats(guest(), 0), "type")).contains(JobType.UNBOUNDED.wire());
        assertThatThrownBy(() -> b.jobStats(b.lookupByName(GUEST), 0)).hasMessageContaining("only on the source");
        a.abortJob(guest());
        Throwable failed = catchThrowable(migration::join);
        assertThat(TypedParam.find(a.jobStats(guest(), JobStatsFlags.COMPLETED), "type"))
                .contains(JobType.CANCELLED.wire());
        assertStayedOnTheSource(reason);
        TwoHosts.assertVirtError(failed, ErrorCode.OPERATION_ABORTED, "job 'migration out' canceled by client");
    }

    @Test
    @Order(20)
    void destinationQemuKilledMidTransfer() throws Exception {
        CompletableFuture<DomainRef> migration = TwoHosts.migrateAsync(a, b, GUEST, SLOW, MigrateFlags.LIVE);
        awaitTransferring();
        long pid = hosts.hostB.recordedPid(GUEST);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        Throwable failed = catchThrowable(migration::join);
        assertStayedOnTheSource(reason);
        // Perform failed with QEMU's OPERATION_FAILED, so the client reports Finish's own error instead, as libvirt's
        // virDomainMigrateVersion3Full does: B lost the domain with its QEMU.
        TwoHosts.assertVirtError(failed, ErrorCode.NO_DOMAIN, "no domain with matching name '" + GUEST + "'");
    }

    @Test
    @Order(30)
    void prepareFailureReleasesTheSource() throws Exception {
        String bad = a.xmlDesc(guest(), XmlFlags.MIGRATABLE)
                .replaceFirst("<emulator>[^<]*</emulator>", "<emulator>/nonexistent/qemu-system-x86_64</emulator>");
        Throwable failed = catchThrowable(() -> TwoHosts.migrate(
                a, b, GUEST, List.of(TypedParam.string(MigrateParams.DEST_XML, bad)), MigrateFlags.LIVE));
        assertStayedOnTheSource(reason);
        TwoHosts.assertVirtError(failed, ErrorCode.INTERNAL_ERROR, "/nonexistent/qemu-system-x86_64");
    }

    @Test
    @Order(40)
    void performFailureIsRolledBackByPerformAndFinish() throws Exception {
        MigrationBegin begin = MigrationPhases.of(a).migrateBegin3(guest(), List.of(), PROTECTED);
        assertThat(Files.readString(hosts.hostA.statusFile(GUEST))).contains("phase='begin3'");
        List<TypedParam> params = List.of(
                TypedParam.string(MigrateParams.DEST_XML, begin.domainXml()),
                TypedParam.string(MigrateParams.DEST_NAME, GUEST));
        MigrationPrepared prepared = MigrationPhases.of(b).migratePrepare3(params, begin.cookie(), MigrateFlags.LIVE);
        ProcessHandle.of(hosts.hostB.recordedPid(GUEST)).orElseThrow().destroyForcibly();
        List<TypedParam> withUri = append(params, TypedParam.string(MigrateParams.URI, prepared.uri()));
        Throwable performed = catchThrowable(
                () -> MigrationPhases.of(a).migratePerform3(guest(), null, withUri, prepared.cookie(), PROTECTED));
        Throwable finished =
                catchThrowable(() -> MigrationPhases.of(b).migrateFinish3(withUri, null, MigrateFlags.LIVE, true));
        assertStayedOnTheSource(reason);
        TwoHosts.assertVirtError(performed, ErrorCode.OPERATION_FAILED, "job 'migration out' failed");
        // B lost the domain with its QEMU: Finish finds nothing, as libvirt's Finish3 reports it.
        TwoHosts.assertVirtError(finished, ErrorCode.NO_DOMAIN, "no domain with matching name '" + GUEST + "'");
    }

    @Test
    @Order(50)
    void finishFailureMakesConfirmResumeTheSource() throws Exception {
        MigrationBegin begin = MigrationPhases.of(a).migrateBegin3(guest(), List.of(), PROTECTED);
        List<TypedParam> params = List.of(
                TypedParam.string(MigrateParams.DEST_XML, begin.domainXml()),
                TypedParam.string(MigrateParams.DEST_NAME, GUEST));
        MigrationPrepared prepared = MigrationPhases.of(b).migratePrepare3(params, begin.cookie(), MigrateFlags.LIVE);
        List<TypedParam> withUri = append(params, TypedParam.string(MigrateParams.URI, prepared.uri()));
        String performed = MigrationPhases.of(a).migratePerform3(guest(), null, withUri, prepared.cookie(), PROTECTED);
        assertThat(a.state(guest()).reason())
                .as("handed over, waiting for Finish")
                .isEqualTo(StateReason.PAUSED_MIGRATION);
        assertThat(Files.readString(hosts.hostA.statusFile(GUEST))).contains("phase='perform3_done'");

        ProcessHandle.of(hosts.hostB.recordedPid(GUEST)).orElseThrow().destroyForcibly();
        VirtException finish = null;
        try {
            MigrationFinished done = MigrationPhases.of(b).migrateFinish3(withUri, performed, MigrateFlags.LIVE, false);
            assertThat(done).as("Finish cannot succeed without its QEMU").isNull();
        } catch (VirtException e) {
            finish = e;
        }
        MigrationPhases.of(a).migrateConfirm3(guest(), withUri, null, PROTECTED, true);
        // Handed over and paused, then taken back: libvirt's "running (migration canceled)".
        assertStayedOnTheSource(StateReason.RUNNING_MIGRATION_CANCELED);
        TwoHosts.assertVirtError(finish, ErrorCode.OPERATION_FAILED, "QEMU");
    }

    @Test
    @Order(60)
    void aMigratingProcessKilledMidTransferIsCleanedUpByTheNextOpen() throws Exception {
        Path jar = Path.of("..", "jvirt-cli", "target", "jvirt.jar")
                .toAbsolutePath()
                .normalize();
        hosts.reopen(() -> {
            Process cli = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-jar",
                            jar.toString(),
                            "-c",
                            hosts.hostA.uri(),
                            "migrate",
                            "--live",
                            "--bandwidth",
                            "16",
                            GUEST,
                            hosts.hostB.uri())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                await().atMost(TwoHosts.TICK)
                        .until(() -> Files.exists(hosts.hostB.statusFile(GUEST))
                                && Files.readString(hosts.hostA.statusFile(GUEST))
                                        .contains("phase='perform3'"));
            } finally {
                cli.destroyForcibly().waitFor();
            }
            assertThat(Files.readString(hosts.hostB.statusFile(GUEST))).contains("phase='prepare'");
        });
        a = hosts.a;
        b = hosts.b;
        // Opening A cancelled the outgoing migration and B ended the half-arrived guest: the guest runs on A alone,
        // in the QEMU it ran in before, which no driver restart may replace.
        assertStayedOnTheSource(reason);
    }

    private static List<TypedParam> append(List<TypedParam> params, TypedParam p) {
        List<TypedParam> out = new java.util.ArrayList<>(params);
        out.add(p);
        return List.copyOf(out);
    }
}
