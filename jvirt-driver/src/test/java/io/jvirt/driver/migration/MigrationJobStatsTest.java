package io.jvirt.driver.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.JobInfo;
import io.jvirt.api.JobOperation;
import io.jvirt.api.JobType;
import io.jvirt.api.TypedParam;
import io.jvirt.driver.job.AsyncJobKind;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorListener;
import io.jvirt.qmp.wire.QmpMonitor;
import io.jvirt.testing.FakeQmp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A migration job's statistics, read from a scripted query-migrate reply, in libvirt's names and units. */
class MigrationJobStatsTest {
    private FakeQmp qmp;
    private Monitor monitor;
    private MigrationJob job;

    @BeforeEach
    void connect() throws Exception {
        qmp = FakeQmp.start();
        monitor = QmpMonitor.connect(qmp.socketPath(), "g1", MonitorListener.ignoring(), Duration.ofSeconds(5));
        job = new MigrationJob(AsyncJobKind.MIGRATION_OUT, 0, true);
        job.attach(monitor);
    }

    @AfterEach
    void close() {
        monitor.close();
        qmp.close();
    }

    private static Map<String, Object> ram() {
        Map<String, Object> ram = new LinkedHashMap<>();
        ram.put("transferred", 1_000_000L);
        ram.put("remaining", 3_000_000L);
        ram.put("total", 4_000_000L);
        ram.put("duplicate", 11);
        ram.put("normal", 220);
        ram.put("normal-bytes", 220 * 4096);
        ram.put("dirty-pages-rate", 35);
        ram.put("mbps", 8.5);
        ram.put("dirty-sync-count", 3);
        ram.put("page-size", 4096);
        ram.put("postcopy-requests", 2);
        return ram;
    }

    private Map<String, Object> stats() {
        return job.stats().stream()
                .collect(Collectors.toMap(TypedParam::field, TypedParam::value, (a, b) -> a, LinkedHashMap::new));
    }

    @Test
    void runningMigrationInLibvirtsNamesAndUnits() {
        qmp.expect("query-migrate")
                .reply(Map.of(
                        "status",
                        "active",
                        "total-time",
                        1500,
                        "setup-time",
                        12,
                        "expected-downtime",
                        300,
                        "ram",
                        ram()));
        Map<String, Object> s = stats();
        assertThat(s)
                .containsEntry("type", JobType.UNBOUNDED.wire())
                .containsEntry("operation", JobOperation.MIGRATION_OUT.wire())
                .containsEntry("downtime", 300L)
                .containsEntry("setup_time", 12L)
                .containsEntry("data_total", 4_000_000L)
                .containsEntry("data_processed", 1_000_000L)
                .containsEntry("data_remaining", 3_000_000L)
                .containsEntry("memory_total", 4_000_000L)
                .containsEntry("memory_processed", 1_000_000L)
                .containsEntry("memory_remaining", 3_000_000L)
                .containsEntry("memory_constant", 11L)
                .containsEntry("memory_normal", 220L)
                .containsEntry("memory_normal_bytes", 220L * 4096)
                .containsEntry("memory_bps", 1_062_500L)
                .containsEntry("memory_dirty_rate", 35L)
                .containsEntry("memory_page_size", 4096L)
                .containsEntry("memory_iteration", 3L)
                .containsEntry("memory_postcopy_requests", 2L);
        assertThat(s).containsKey("time_elapsed");
        assertThat(s.keySet()).noneMatch(k -> k.startsWith("compression_")).doesNotContain("auto_converge_throttle");
        assertThat(job.stats().getFirst().field()).isEqualTo("type");
    }

    @Test
    void memoryBpsIsMegabitsTimes125000() {
        Map<String, Object> ram = ram();
        ram.put("mbps", 1000.0);
        qmp.expect("query-migrate").reply(Map.of("status", "active", "ram", ram));
        assertThat(stats()).containsEntry("memory_bps", 125_000_000L);
    }

    @Test
    void completedMigrationReportsTheRealDowntimeNotTheEstimate() {
        qmp.expect("query-migrate")
                .reply(Map.of("status", "completed", "downtime", 42, "expected-downtime", 300, "ram", ram()));
        List<TypedParam> completed = job.completedStats(JobType.COMPLETED);
        assertThat(completed)
                .contains(TypedParam.integer("type", JobType.COMPLETED.wire()), TypedParam.ullong("downtime", 42));
    }

    @Test
    void noDowntimeWhileRunningWithoutAnEstimateButAlwaysOnceCompleted() {
        qmp.expect("query-migrate").reply(Map.of("status", "active", "ram", ram()));
        assertThat(stats()).doesNotContainKey("downtime").doesNotContainKey("setup_time");
        qmp.expect("query-migrate").reply(Map.of("status", "completed", "ram", ram()));
        assertThat(job.completedStats(JobType.COMPLETED)).contains(TypedParam.ullong("downtime", 0));
    }

    @Test
    void compressionOnlyWithAnXbzrleCacheSection() {
        qmp.expect("query-migrate")
                .reply(Map.of(
                        "status",
                        "active",
                        "ram",
                        ram(),
                        "xbzrle-cache",
                        Map.of(
                                "cache-size",
                                67_108_864,
                                "bytes",
                                5000,
                                "pages",
                                7,
                                "cache-miss",
                                9,
                                "overflow",
                                1,
                                "cache-miss-rate",
                                0.5,
                                "encoding-rate",
                                2.0)));
        assertThat(stats())
                .containsEntry("compression_cache", 67_108_864L)
                .containsEntry("compression_bytes", 5000L)
                .containsEntry("compression_pages", 7L)
                .containsEntry("compression_cache_misses", 9L)
                .containsEntry("compression_overflow", 1L);
    }

    @Test
    void autoConvergeThrottleOnlyWhenQemuThrottles() {
        qmp.expect("query-migrate").reply(Map.of("status", "active", "cpu-throttle-percentage", 0, "ram", ram()));
        assertThat(stats()).doesNotContainKey("auto_converge_throttle");
        qmp.expect("query-migrate").reply(Map.of("status", "active", "cpu-throttle-percentage", 20, "ram", ram()));
        assertThat(job.stats()).contains(TypedParam.integer("auto_converge_throttle", 20));
    }

    @Test
    void jobInfoCarriesTheSameMemoryFigures() {
        qmp.expect("query-migrate").reply(Map.of("status", "active", "ram", ram()));
        JobInfo info = job.info();
        assertThat(info.type()).isEqualTo(JobType.UNBOUNDED);
        assertThat(info.dataTotal()).isEqualTo(4_000_000L);
        assertThat(info.dataProcessed()).isEqualTo(1_000_000L);
        assertThat(info.dataRemaining()).isEqualTo(3_000_000L);
        assertThat(info.memTotal()).isEqualTo(4_000_000L);
    }

    @Test
    void withoutQemuTheFiguresAreZero() {
        MigrationJob detached = new MigrationJob(AsyncJobKind.MIGRATION_OUT, 0, true);
        assertThat(detached.stats()).contains(TypedParam.ullong("memory_total", 0), TypedParam.ullong("memory_bps", 0));
        qmp.expect("query-migrate").thenDropConnection().noReply();
        assertThat(job.stats()).contains(TypedParam.ullong("memory_total", 0));
    }
}
