package io.jvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.JobInfo;
import io.jvirt.api.JobStatsFlags;
import io.jvirt.api.JobType;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * domjobinfo and domjobabort. The expected reports are what virsh 11.3's cmdDomjobinfo prints for the same
 * statistics, worked out from its format strings: labels "%-17s", counts "%-12llu" (so values are followed by
 * padding), sizes through vshPrettyCapacity as "%-.3lf %s".
 */
class DomJobInfoCommandTest {
    private static final UUID G1 = UUID.fromString("11111111-2222-3333-4444-555555555555");
    private final FakeConnection connection = new FakeConnection();

    DomJobInfoCommandTest() {
        connection.addRunning("g1", G1, 3);
    }

    private static List<TypedParam> runningSave() {
        return List.of(
                TypedParam.integer("type", JobType.UNBOUNDED.wire()),
                TypedParam.integer("operation", 2),
                TypedParam.ullong("time_elapsed", 1234),
                TypedParam.ullong("data_total", 1L << 30),
                TypedParam.ullong("data_processed", 512L << 20),
                TypedParam.ullong("data_remaining", 512L << 20),
                TypedParam.ullong("memory_total", 1L << 30),
                TypedParam.ullong("memory_processed", 12_945_408),
                TypedParam.ullong("memory_remaining", (1L << 30) - 12_945_408),
                TypedParam.ullong("memory_bps", 100L << 20),
                TypedParam.ullong("memory_dirty_rate", 10),
                TypedParam.ullong("memory_iteration", 1),
                TypedParam.ullong("memory_constant", 100),
                TypedParam.ullong("memory_normal", 200),
                TypedParam.ullong("memory_normal_bytes", 819_200),
                TypedParam.ullong("setup_time", 5));
    }

    @Test
    void runningJobIsReportedAsVirshPrintsIt() {
        connection.jobStats = runningSave();

        CliRun run = CliRun.of(connection, "domjobinfo", "g1");

        assertThat(run.status()).isZero();
        assertThat(run.out())
                .isEqualTo(""
                        + "Job type:         Unbounded   \n"
                        + "Operation:        Save        \n"
                        + "Time elapsed:     1234         ms\n"
                        + "Data processed:   512.000 MiB\n"
                        + "Data remaining:   512.000 MiB\n"
                        + "Data total:       1.000 GiB\n"
                        + "Memory processed: 12.346 MiB\n"
                        + "Memory remaining: 1011.654 MiB\n"
                        + "Memory total:     1.000 GiB\n"
                        + "Memory bandwidth: 100.000 MiB/s\n"
                        + "Dirty rate:       10           pages/s\n"
                        + "Iteration:        1           \n"
                        + "Constant pages:   100         \n"
                        + "Normal pages:     200         \n"
                        + "Normal data:      800.000 KiB\n"
                        + "Setup time:       5            ms\n"
                        + "\n");
        assertThat(connection.calls.getLast().flags()).isZero();
    }

    @Test
    void completedJobNeedsCompletedOrAnystatsForDetails() {
        connection.jobStats = List.of(
                TypedParam.integer("type", JobType.COMPLETED.wire()),
                TypedParam.integer("operation", 8),
                TypedParam.ullong("time_elapsed", 42),
                TypedParam.ullong("time_elapsed_net", 40),
                TypedParam.ullong("downtime", 7),
                TypedParam.ullong("disk_total", 2048),
                TypedParam.ullong("disk_processed", 2048),
                TypedParam.ullong("disk_remaining", 0),
                TypedParam.integer("auto_converge_throttle", 20),
                TypedParam.string("errmsg", "none at all"));

        CliRun plain = CliRun.of(connection, "domjobinfo", "g1");
        CliRun completed = CliRun.of(connection, "domjobinfo", "g1", "--completed", "--keep-completed");

        assertThat(plain.out())
                .isEqualTo("" + "Job type:         Completed   \n" + "Operation:        Dump        \n" + "\n");
        assertThat(completed.out())
                .isEqualTo(""
                        + "Job type:         Completed   \n"
                        + "Operation:        Dump        \n"
                        + "Time elapsed:     42           ms\n"
                        + "Time elapsed w/o network: 40           ms\n"
                        + "File processed:   2.000 KiB\n"
                        + "File remaining:   0.000 B\n"
                        + "File total:       2.000 KiB\n"
                        + "Total downtime:   7            ms\n"
                        + "Auto converge throttle: 20           \n"
                        + "Error message:    none at all\n"
                        + "\n");
        assertThat(connection.calls.getLast().flags())
                .isEqualTo(JobStatsFlags.COMPLETED | JobStatsFlags.KEEP_COMPLETED);
        assertThat(CliRun.of(connection, "domjobinfo", "g1", "--anystats").out())
                .isEqualTo(completed.out());
    }

    @Test
    void noJob() {
        connection.jobStats = List.of(TypedParam.integer("type", JobType.NONE.wire()));

        assertThat(CliRun.of(connection, "domjobinfo", "g1").out()).isEqualTo("Job type:         None        \n\n");
    }

    @Test
    void rawStatsListEveryStatisticUnderTheTypesNumber() {
        connection.jobStats = List.of(
                TypedParam.integer("type", JobType.FAILED.wire()),
                TypedParam.integer("operation", 2),
                TypedParam.ullong("time_elapsed", -1L),
                new TypedParam("ratio", TypedParam.Type.DOUBLE, 0.5),
                new TypedParam("big", TypedParam.Type.DOUBLE, 1234567.0),
                new TypedParam("flag", TypedParam.Type.BOOLEAN, true),
                TypedParam.string("errmsg", "it broke"));

        CliRun run = CliRun.of(connection, "domjobinfo", "g1", "--rawstats");

        assertThat(run.out()).isEqualTo("""
                Job type: 4

                operation: 2
                time_elapsed: 18446744073709551615
                ratio: 0.5
                big: 1.23457e+06
                flag: 1
                errmsg: it broke

                """);
    }

    @Test
    void withoutStatisticsFallsBackToJobInfo() {
        connection.jobStats = null;
        connection.jobInfo = new JobInfo(JobType.BOUNDED, 1000, 500, 3L << 20, 1L << 20, 2L << 20, 0, 0, 0, 0, 0, 0);

        CliRun run = CliRun.of(connection, "domjobinfo", "g1");

        assertThat(run.out())
                .isEqualTo(""
                        + "Job type:         Bounded     \n"
                        + "Time elapsed:     1000         ms\n"
                        + "Time remaining:   500          ms\n"
                        + "Data processed:   1.000 MiB\n"
                        + "Data remaining:   2.000 MiB\n"
                        + "Data total:       3.000 MiB\n"
                        + "\n");
    }

    @Test
    void withoutStatisticsFlagsAndRawStatsAreRefused() {
        connection.jobStats = null;

        for (String option : List.of("--completed", "--rawstats")) {
            CliRun run = CliRun.of(connection, "domjobinfo", "g1", option);
            assertThat(run.status()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("error: Optional flags or --rawstats are not supported by the daemon\n");
        }
    }

    @Test
    void keepCompletedRequiresCompleted() {
        CliRun run = CliRun.of(connection, "domjobinfo", "g1", "--keep-completed");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: Option --completed is required by option --keep-completed\n");
        assertThat(connection.calls).isEmpty();
    }

    @Test
    void domJobAbortIsSilentOnSuccessAndReportsTheApiError() {
        assertThat(CliRun.of(connection, "domjobabort", "3").out()).isEqualTo("\n");
        assertThat(connection.calls).containsExactly(new FakeConnection.Call("abortJob", "g1", null, null, null, 0));

        connection.jobFailure =
                VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "no job is active on the domain");
        CliRun failed = CliRun.of(connection, "domjobabort", "g1");

        assertThat(failed.status()).isEqualTo(1);
        assertThat(failed.err()).isEqualTo("error: Requested operation is not valid: no job is active on the domain\n");
    }
}
