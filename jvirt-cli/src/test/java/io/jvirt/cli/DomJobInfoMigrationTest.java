package io.jvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.JobStatsFlags;
import io.jvirt.api.JobType;
import io.jvirt.api.TypedParam;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * domjobinfo for migration jobs: every migration statistic virsh 11.3's cmdDomjobinfo shows, in its order and
 * format (labels "%-17s", counts "%-12llu", compression counts "%-13llu", sizes through vshPrettyCapacity).
 */
class DomJobInfoMigrationTest {
    private static final long MIB = 1024 * 1024;
    private final FakeConnection connection = new FakeConnection();

    DomJobInfoMigrationTest() {
        connection.addRunning("g1", UUID.fromString("11111111-2222-3333-4444-555555555555"), 3);
    }

    @Test
    void runningOutgoingMigration() {
        connection.jobStats = List.of(
                TypedParam.integer("type", JobType.UNBOUNDED.wire()),
                TypedParam.integer("operation", 5),
                TypedParam.ullong("time_elapsed", 5230),
                TypedParam.ullong("data_total", 1024 * MIB),
                TypedParam.ullong("data_processed", 512 * MIB),
                TypedParam.ullong("data_remaining", 512 * MIB),
                TypedParam.ullong("memory_total", 1024 * MIB),
                TypedParam.ullong("memory_processed", 512 * MIB),
                TypedParam.ullong("memory_remaining", 512 * MIB),
                TypedParam.ullong("memory_constant", 1000),
                TypedParam.ullong("memory_normal", 131072),
                TypedParam.ullong("memory_normal_bytes", 512 * MIB),
                TypedParam.ullong("memory_bps", 100 * MIB),
                TypedParam.ullong("memory_dirty_rate", 2560),
                TypedParam.ullong("memory_page_size", 4096),
                TypedParam.ullong("memory_iteration", 3),
                TypedParam.ullong("memory_postcopy_requests", 0),
                TypedParam.ullong("downtime", 300),
                TypedParam.ullong("setup_time", 12),
                TypedParam.ullong("compression_cache", 64 * MIB),
                TypedParam.ullong("compression_bytes", MIB),
                TypedParam.ullong("compression_pages", 256),
                TypedParam.ullong("compression_cache_misses", 12),
                TypedParam.ullong("compression_overflow", 0),
                TypedParam.integer("auto_converge_throttle", 20));

        CliRun run = CliRun.of(connection, "domjobinfo", "g1");

        assertThat(run.out())
                .isEqualTo(""
                        + "Job type:         Unbounded   \n"
                        + "Operation:        Outgoing migration\n"
                        + "Time elapsed:     5230         ms\n"
                        + "Data processed:   512.000 MiB\n"
                        + "Data remaining:   512.000 MiB\n"
                        + "Data total:       1.000 GiB\n"
                        + "Memory processed: 512.000 MiB\n"
                        + "Memory remaining: 512.000 MiB\n"
                        + "Memory total:     1.000 GiB\n"
                        + "Memory bandwidth: 100.000 MiB/s\n"
                        + "Dirty rate:       2560         pages/s\n"
                        + "Page size:        4096         bytes\n"
                        + "Iteration:        3           \n"
                        + "Postcopy requests: 0           \n"
                        + "Constant pages:   1000        \n"
                        + "Normal pages:     131072      \n"
                        + "Normal data:      512.000 MiB\n"
                        + "Expected downtime: 300          ms\n"
                        + "Setup time:       12           ms\n"
                        + "Compression cache: 64.000 MiB\n"
                        + "Compressed data:  1.000 MiB\n"
                        + "Compressed pages: 256          \n"
                        + "Compression cache misses: 12           \n"
                        + "Compression overflows: 0            \n"
                        + "Auto converge throttle: 20           \n"
                        + "\n");
    }

    @Test
    void completedIncomingMigrationShowsTotalDowntime() {
        connection.jobStats = List.of(
                TypedParam.integer("type", JobType.COMPLETED.wire()),
                TypedParam.integer("operation", 4),
                TypedParam.ullong("time_elapsed", 8000),
                TypedParam.ullong("time_elapsed_net", 7990),
                TypedParam.ullong("downtime", 45),
                TypedParam.ullong("downtime_net", 35),
                TypedParam.ullong("memory_total", 512 * MIB),
                TypedParam.ullong("memory_processed", 520 * MIB),
                TypedParam.ullong("memory_remaining", 0));

        CliRun run = CliRun.of(connection, "domjobinfo", "g1", "--completed");

        assertThat(run.out())
                .isEqualTo(""
                        + "Job type:         Completed   \n"
                        + "Operation:        Incoming migration\n"
                        + "Time elapsed:     8000         ms\n"
                        + "Time elapsed w/o network: 7990         ms\n"
                        + "Memory processed: 520.000 MiB\n"
                        + "Memory remaining: 0.000 B\n"
                        + "Memory total:     512.000 MiB\n"
                        + "Total downtime:   45           ms\n"
                        + "Downtime w/o network: 35           ms\n"
                        + "\n");
        assertThat(connection.calls.getLast().flags()).isEqualTo(JobStatsFlags.COMPLETED);
    }
}
