package io.jvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.JobInfo;
import io.jvirt.api.JobType;
import io.jvirt.cli.job.JobProgress;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** --verbose: the job runs on the main thread while a poller reports jobInfo's progress on stderr. */
class JobProgressTest {
    private static final UUID G1 = UUID.fromString("11111111-2222-3333-4444-555555555555");
    private final FakeConnection connection = new FakeConnection();

    @Test
    void progressLineCutsToTwoDecimals() {
        assertThat(JobProgress.line("Dump", 945, 1000)).isEqualTo("\rDump: [ 5.50 %]");
        assertThat(JobProgress.line("Save", 2, 3)).isEqualTo("\rSave: [33.33 %]");
        assertThat(JobProgress.line("Save", 1, 3)).isEqualTo("\rSave: [66.66 %]");
        assertThat(JobProgress.line("Managedsave", 0, 1)).isEqualTo("\rManagedsave: [100.00 %]");
    }

    @Test
    void verboseSaveShowsProgressWhileTheSaveRuns() {
        connection.addRunning("g1", G1, 3);
        connection.jobInfo = new JobInfo(JobType.UNBOUNDED, 10, 0, 200, 84, 116, 0, 0, 0, 0, 0, 0);
        // The save lasts until the poller has asked twice, so the test sees at least one progress line.
        connection.onJob = () -> awaitJobInfoCalls(2);

        CliRun run = CliRun.of(connection, "save", "g1", "/srv/g1.img", "--verbose");

        assertThat(run.status()).isZero();
        assertThat(run.err()).matches("(\rSave: \\[42\\.00 %])+\rSave: \\[100\\.00 %]");
        assertThat(run.out()).isEqualTo("\nDomain 'g1' saved to /srv/g1.img\n\n");
    }

    @Test
    void verboseDumpAndManagedSaveUseTheirLabels() {
        connection.addRunning("g1", G1, 3);

        assertThat(CliRun.of(connection, "dump", "g1", "/srv/core", "--verbose").err())
                .endsWith("\rDump: [100.00 %]");
        assertThat(CliRun.of(connection, "managedsave", "g1", "--verbose").err())
                .endsWith("\rManagedsave: [100.00 %]");
    }

    @Test
    void withoutVerboseNothingPollsAndFailureShowsNoHundredPercent() {
        connection.addRunning("g1", G1, 3);

        CliRun quiet = CliRun.of(connection, "save", "g1", "/srv/g1.img");
        connection.jobFailure = io.jvirt.api.VirtException.of(
                io.jvirt.api.ErrorCode.OPERATION_FAILED, io.jvirt.api.ErrorDomain.QEMU, "disk full");
        connection.addRunning("g2", UUID.randomUUID(), 4);
        CliRun failed = CliRun.of(connection, "save", "g2", "/srv/g2.img", "--verbose");

        assertThat(quiet.err()).isEmpty();
        assertThat(connection.jobInfoCalls.get()).isZero();
        assertThat(failed.err())
                .isEqualTo(
                        "error: Failed to save domain 'g2' to /srv/g2.img\n" + "error: operation failed: disk full\n");
    }

    private void awaitJobInfoCalls(int calls) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (connection.jobInfoCalls.get() < calls) {
            assertThat(System.nanoTime())
                    .as("poller asked for job info in time")
                    .isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
