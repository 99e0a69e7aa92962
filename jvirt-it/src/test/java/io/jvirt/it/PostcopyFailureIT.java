package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainState;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.JobType;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A migration that fails after the switch to post-copy, on real QEMU: the destination's QEMU dies while it still
 * pulls pages. Neither side can take the guest back then, so the source must not resume it (its memory is older
 * than what the destination ran) nor kill it: it stays paused (post-copy failed), QEMU alive, as libvirt leaves it.
 * And the source's QEMU dying: the destination keeps the guest, running (post-copy failed).
 */
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
@ExtendWith(NoStrayQemu.class)
class PostcopyFailureIT implements NoStrayQemu.Accounted {
    private static final String GUEST = "pcfail";
    /** Slow pre-copy, so the switch comes while it runs, and slower post-copy, so the test acts during it. */
    private static final List<TypedParam> SLOW = List.of(
            TypedParam.ullong(MigrateParams.BANDWIDTH, 16), TypedParam.ullong(MigrateParams.BANDWIDTH_POSTCOPY, 4));

    private TwoHosts hosts;
    private SerialLog serial;

    @BeforeEach
    void setUp() throws Exception {
        hosts = new TwoHosts("pcfail");
        serial = hosts.boot(GUEST, hosts.guest(GUEST, 0));
    }

    @Override
    public void assertNoStrayQemu() throws Exception {
        hosts.assertNoStrayQemu();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (hosts != null) {
            hosts.close();
        }
    }

    /** Starts the migration and switches it to post-copy; returns once both sides show the switch. */
    private CompletableFuture<DomainRef> migrateIntoPostcopy(Connection a, Connection b) {
        CompletableFuture<DomainRef> migration =
                TwoHosts.migrateAsync(a, b, GUEST, SLOW, MigrateFlags.LIVE | MigrateFlags.POSTCOPY);
        await().atMost(TwoHosts.TICK)
                .until(() -> a.jobInfo(a.lookupByName(GUEST)).memProcessed() > 0);
        a.migrateStartPostCopy(a.lookupByName(GUEST), 0);
        await().atMost(TwoHosts.TICK)
                .until(() -> a.state(a.lookupByName(GUEST)).reason() == StateReason.PAUSED_POSTCOPY);
        await().atMost(TwoHosts.TICK)
                .until(() -> b.state(b.lookupByName(GUEST)).reason() == StateReason.RUNNING_POSTCOPY);
        return migration;
    }

    @Test
    void theDestinationDyingInPostcopyLeavesTheSourcePausedPostcopyFailed() throws Exception {
        Connection a = hosts.a;
        Connection b = hosts.b;
        GuestIntegrity check = hosts.check(serial, GUEST, a);
        CompletableFuture<DomainRef> migration = migrateIntoPostcopy(a, b);
        long sourcePid = hosts.hostA.recordedPid(GUEST);

        ProcessHandle.of(hosts.hostB.recordedPid(GUEST)).orElseThrow().destroyForcibly();

        Throwable failed = catchThrowable(migration::join);
        DomainRef ref = a.lookupByName(GUEST);
        assertThat(a.state(ref).state()).isEqualTo(DomainState.PAUSED);
        assertThat(a.state(ref).reason()).isEqualTo(StateReason.PAUSED_POSTCOPY_FAILED);
        assertThat(a.jobInfo(ref).type()).isEqualTo(JobType.NONE);
        assertThat(ProcessHandle.of(sourcePid).map(ProcessHandle::isAlive))
                .as("the source's QEMU still holds the pages nobody else has")
                .contains(true);
        assertThat(Files.readString(hosts.hostA.statusFile(GUEST)))
                .contains("post-copy failed")
                .doesNotContain("<job");
        hosts.assertNothingOn(b, hosts.hostB, GUEST);
        // It must not run (its memory is older than what B ran), so no tick can prove it whole: what is proved is
        // that the same QEMU holds it, B's is gone, and the log never repeated a tick nor broke the pattern.
        check.assertStuckOn(hosts.guestHost(a), StateReason.PAUSED_POSTCOPY_FAILED)
                .andGoneFrom(hosts.guestHost(b));
        // The client reports the destination's Finish error (libvirt's choice when Perform's is OPERATION_FAILED).
        TwoHosts.assertVirtError(
                failed, ErrorCode.OPERATION_FAILED, "job 'migration in' failed: QEMU exited (domain is not running)");
        a.destroy(ref, 0);
    }

    @Test
    void theSourceDyingInPostcopyLeavesTheDestinationRunningPostcopyFailed() throws Exception {
        Connection a = hosts.a;
        Connection b = hosts.b;
        GuestIntegrity check = hosts.check(serial, GUEST, a);
        CompletableFuture<DomainRef> migration = migrateIntoPostcopy(a, b);
        long destinationPid = hosts.hostB.recordedPid(GUEST);

        ProcessHandle.of(hosts.hostA.recordedPid(GUEST)).orElseThrow().destroyForcibly();

        Throwable failed = catchThrowable(migration::join);
        DomainRef ref = b.lookupByName(GUEST);
        assertThat(b.state(ref).reason())
                .as("the guest runs on here with the newest memory it has")
                .isEqualTo(StateReason.RUNNING_POSTCOPY_FAILED);
        assertThat(b.jobInfo(ref).type()).isEqualTo(JobType.NONE);
        assertThat(ProcessHandle.of(destinationPid).map(ProcessHandle::isAlive)).contains(true);
        assertThat(Files.readString(hosts.hostB.statusFile(GUEST)))
                .contains("post-copy failed")
                .doesNotContain("<job");
        await().atMost(TwoHosts.TICK).until(() -> a.state(a.lookupByName(GUEST)).state() == DomainState.SHUTOFF);
        // The pages still on A are lost with its QEMU, so the guest may block on the first one it touches: no
        // progress can be required. Proved: B's QEMU alone holds it, A's has exited, the log is sound.
        check.assertStuckOn(hosts.guestHost(b), StateReason.RUNNING_POSTCOPY_FAILED)
                .andOn(hosts.guestHost(a), StateReason.SHUTOFF_CRASHED);
        TwoHosts.assertVirtError(failed, ErrorCode.OPERATION_FAILED, "job 'migration in' failed in post-copy phase");
        b.destroy(ref, 0);
    }
}
