package io.jvirt.qmp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.qmp.DumpState;
import io.jvirt.qmp.DumpStatus;
import io.jvirt.qmp.MigrationParameters;
import io.jvirt.qmp.MigrationRamStats;
import io.jvirt.qmp.MigrationStats;
import io.jvirt.qmp.MigrationStatus;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorEvent;
import io.jvirt.qmp.QmpCommandException;
import io.jvirt.qmp.XbzrleCacheStats;
import io.jvirt.testing.FakeQmp;
import io.jvirt.testing.ReceivedCommand;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The typed migration and dump commands against {@link FakeQmp}: what goes on the wire and how replies decode. */
class QmpMigrationCommandsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private FakeQmp qemu;
    private Monitor monitor;
    private final RecordingMonitorListener listener = new RecordingMonitorListener();

    @BeforeEach
    void start() throws Exception {
        qemu = FakeQmp.builder().version(10, 0, 2).start();
    }

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.close();
        }
        qemu.close();
    }

    private Monitor connect() throws Exception {
        monitor = QmpMonitor.connect(qemu.socketPath(), "mig", listener, TIMEOUT);
        return monitor;
    }

    private ReceivedCommand sent(String name) throws InterruptedException {
        return qemu.awaitCommand(name, TIMEOUT);
    }

    @Test
    void migrateSendsOnlyTheUri() throws Exception {
        connect().migrate("fd:migrate");
        ReceivedCommand migrate = sent("migrate");
        assertThat(migrate.arguments()).isEqualTo(Map.of("uri", "fd:migrate"));
        assertThat(migrate.fds()).isEmpty();
    }

    @Test
    void migrateIncomingSendsTheUri() throws Exception {
        connect().migrateIncoming("fd:incoming");
        assertThat(sent("migrate-incoming").arguments()).isEqualTo(Map.of("uri", "fd:incoming"));
    }

    @Test
    void cancelAndPostcopySwitchUseTheirQmpNamesWithoutArguments() throws Exception {
        connect();
        monitor.migrateCancel();
        monitor.migrateStartPostcopy();
        assertThat(qemu.commandNames()).containsExactly("qmp_capabilities", "migrate_cancel", "migrate-start-postcopy");
        assertThat(qemu.commands().subList(1, 3))
                .extracting(ReceivedCommand::arguments)
                .allSatisfy(a -> assertThat(a).isEmpty());
    }

    @Test
    void outOfBandExecutionIsSwitchedOnWhenQemuOffersIt() throws Exception {
        connect().executeOutOfBand("migrate-recover", Map.of("uri", "tcp:127.0.0.1:49152"));

        assertThat(sent("qmp_capabilities").arguments()).isEqualTo(Map.of("enable", List.of("oob")));
        assertThat(sent("migrate-recover").arguments()).isEqualTo(Map.of("uri", "tcp:127.0.0.1:49152"));
    }

    @Test
    void migrateErrorsNameTheCommandAndKeepQemusReason() throws Exception {
        qemu.expect("migrate").replyError("GenericError", "File descriptor named 'nosuch' has not been found");
        connect();
        assertThatThrownBy(() -> monitor.migrate("fd:nosuch")).isInstanceOfSatisfying(QmpCommandException.class, e -> {
            assertThat(e.command()).isEqualTo("migrate");
            assertThat(e.description()).contains("nosuch");
        });
    }

    @Test
    void postcopySwitchRefusedByQemuIsACommandException() throws Exception {
        qemu.expect("migrate-start-postcopy")
                .replyError(
                        "GenericError", "Enable postcopy with migrate_set_capability before the start of migration");
        connect();
        assertThatThrownBy(monitor::migrateStartPostcopy)
                .isInstanceOf(QmpCommandException.class)
                .hasMessageContaining("migrate-start-postcopy")
                .hasMessageContaining("Enable postcopy");
    }

    @Test
    void queryMigrateDecodesAnActiveMigrationWithEverySection() throws Exception {
        Map<String, Object> ram = new LinkedHashMap<>();
        ram.put("transferred", 5_000_000_000L);
        ram.put("remaining", 1_234_567L);
        ram.put("total", 8_590_000_000L);
        ram.put("duplicate", 16463);
        ram.put("normal", 51);
        ram.put("normal-bytes", 208896);
        ram.put("dirty-pages-rate", 1200);
        ram.put("mbps", 375.6592);
        ram.put("dirty-sync-count", 3);
        ram.put("page-size", 4096);
        ram.put("postcopy-requests", 7);
        ram.put("precopy-bytes", 11);
        ram.put("downtime-bytes", 357563);
        ram.put("postcopy-bytes", 13);
        ram.put("multifd-bytes", 17);
        ram.put("pages-per-second", 19);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("status", "active");
        reply.put("total-time", 1500);
        reply.put("setup-time", 2);
        reply.put("expected-downtime", 300);
        reply.put("cpu-throttle-percentage", 20);
        reply.put("ram", ram);
        reply.put(
                "xbzrle-cache",
                Map.of(
                        "cache-size",
                        67108864,
                        "bytes",
                        100,
                        "pages",
                        3,
                        "cache-miss",
                        4,
                        "cache-miss-rate",
                        0.25,
                        "encoding-rate",
                        1.5,
                        "overflow",
                        5));
        qemu.expect("query-migrate").reply(reply);

        MigrationStats stats = connect().queryMigrate();

        assertThat(stats.status()).isEqualTo(MigrationStatus.ACTIVE);
        assertThat(stats.totalTimeMs()).isEqualTo(1500);
        assertThat(stats.setupTimeMs()).isEqualTo(2);
        assertThat(stats.expectedDowntimeMs()).isEqualTo(300);
        assertThat(stats.downtimeMs()).isZero();
        assertThat(stats.cpuThrottlePercentage()).isEqualTo(20);
        assertThat(stats.errorDesc()).isNull();
        assertThat(stats.blockedReasons()).isEmpty();
        assertThat(stats.ram())
                .isEqualTo(new MigrationRamStats(
                        5_000_000_000L,
                        1_234_567L,
                        8_590_000_000L,
                        16463,
                        51,
                        208896,
                        1200,
                        375.6592,
                        3,
                        4096,
                        7,
                        11,
                        357563,
                        13,
                        17,
                        19));
        assertThat(stats.xbzrleCache()).isEqualTo(new XbzrleCacheStats(67108864, 100, 3, 4, 5, 0.25, 1.5));
    }

    @Test
    void queryMigrateBeforeAnyMigrationIsNoneWithZerosAndNulls() throws Exception {
        qemu.expect("query-migrate").reply(Map.of());
        MigrationStats stats = connect().queryMigrate();
        assertThat(stats.status()).isEqualTo(MigrationStatus.NONE);
        assertThat(stats.totalTimeMs()).isZero();
        assertThat(stats.ram()).isSameAs(MigrationRamStats.NONE);
        assertThat(stats.xbzrleCache()).isNull();
        assertThat(stats.errorDesc()).isNull();
        assertThat(stats.blockedReasons()).isEmpty();
    }

    @Test
    void queryMigrateKeepsTheErrorAndBlockersAndZerosMissingRamFields() throws Exception {
        qemu.expect("query-migrate")
                .reply(Map.of(
                        "status",
                        "failed",
                        "error-desc",
                        "Unable to write to socket: Broken pipe",
                        "blocked-reasons",
                        List.of("a vhost device", "a vfio device"),
                        "downtime",
                        9,
                        "ram",
                        Map.of("transferred", 42)));
        MigrationStats stats = connect().queryMigrate();
        assertThat(stats.status()).isEqualTo(MigrationStatus.FAILED);
        assertThat(stats.status().isFinished()).isTrue();
        assertThat(stats.errorDesc()).isEqualTo("Unable to write to socket: Broken pipe");
        assertThat(stats.blockedReasons()).containsExactly("a vhost device", "a vfio device");
        assertThat(stats.downtimeMs()).isEqualTo(9);
        assertThat(stats.ram().transferredBytes()).isEqualTo(42);
        assertThat(stats.ram().totalBytes()).isZero();
        assertThat(stats.ram().mbps()).isZero();
    }

    @Test
    void aStatusFromANewerQemuIsUnknownNotAFailure() throws Exception {
        qemu.expect("query-migrate").reply(Map.of("status", "teleporting"));
        assertThat(connect().queryMigrate().status()).isEqualTo(MigrationStatus.UNKNOWN);
    }

    @Test
    void queryMigrateThatIsNotAnObjectIsAProtocolError() throws Exception {
        qemu.expect("query-migrate").reply(List.of());
        connect();
        assertThatThrownBy(monitor::queryMigrate)
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(QmpCommandException.class)
                .hasMessageContaining("query-migrate");
        assertThat(monitor.isClosed()).isFalse();
    }

    @Test
    void everyQmpStatusNameMapsBackToItself() {
        for (MigrationStatus status : MigrationStatus.values()) {
            if (status != MigrationStatus.UNKNOWN) {
                assertThat(MigrationStatus.fromQmp(status.qmpName())).isEqualTo(status);
            }
        }
        assertThat(MigrationStatus.fromQmp("postcopy-recover-setup")).isEqualTo(MigrationStatus.POSTCOPY_RECOVER_SETUP);
        assertThat(MigrationStatus.fromQmp("wait-unplug")).isEqualTo(MigrationStatus.WAIT_UNPLUG);
        assertThat(MigrationStatus.values())
                .filteredOn(MigrationStatus::isFinished)
                .containsExactlyInAnyOrder(
                        MigrationStatus.COMPLETED, MigrationStatus.FAILED, MigrationStatus.CANCELLED);
    }

    @Test
    void queryMigrateParametersGivesTypedValuesAndEverythingRaw() throws Exception {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("max-bandwidth", 134217728);
        reply.put("downtime-limit", 300);
        reply.put("xbzrle-cache-size", 67108864);
        reply.put("multifd-channels", 2);
        reply.put("cpu-throttle-initial", 20);
        reply.put("cpu-throttle-increment", 10);
        reply.put("max-postcopy-bandwidth", 0);
        reply.put("tls-creds", "");
        reply.put("multifd-compression", "none");
        qemu.expect("query-migrate-parameters").reply(reply);

        MigrationParameters params = connect().queryMigrateParameters();

        assertThat(params.maxBandwidth()).isEqualTo(134217728L);
        assertThat(params.downtimeLimitMs()).isEqualTo(300);
        assertThat(params.xbzrleCacheSize()).isEqualTo(67108864L);
        assertThat(params.multifdChannels()).isEqualTo(2);
        assertThat(params.cpuThrottleInitial()).isEqualTo(20);
        assertThat(params.cpuThrottleIncrement()).isEqualTo(10);
        assertThat(params.maxPostcopyBandwidth()).isZero();
        assertThat(params.has("max-postcopy-bandwidth")).isTrue();
        assertThat(params.raw())
                .containsEntry("multifd-compression", "none")
                .containsEntry("tls-creds", "")
                .containsEntry("max-bandwidth", 134217728L)
                .hasSize(9);
        assertThat(params.raw().keySet()).startsWith("max-bandwidth", "downtime-limit");
    }

    @Test
    void parametersAnOlderQemuLacksAreZeroAndAbsent() throws Exception {
        qemu.expect("query-migrate-parameters").reply(Map.of("max-bandwidth", 33554432));
        MigrationParameters params = connect().queryMigrateParameters();
        assertThat(params.maxBandwidth()).isEqualTo(33554432L);
        assertThat(params.downtimeLimitMs()).isZero();
        assertThat(params.has("downtime-limit")).isFalse();
        assertThat(params.raw()).containsOnlyKeys("max-bandwidth");
    }

    @Test
    void setMigrateParametersSendsTheMapAsOneFlatObject() throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("max-bandwidth", 1L << 40);
        params.put("downtime-limit", 300);
        params.put("tls-creds", "");
        params.put("multifd-compression", "zstd");
        connect().setMigrateParameters(params);
        assertThat(sent("migrate-set-parameters").arguments())
                .isEqualTo(Map.of(
                        "max-bandwidth",
                        1L << 40,
                        "downtime-limit",
                        300,
                        "tls-creds",
                        "",
                        "multifd-compression",
                        "zstd"));
    }

    @Test
    void aParameterQemuDoesNotKnowIsItsError() throws Exception {
        qemu.expect("migrate-set-parameters").replyError("GenericError", "Parameter 'bogus' is unexpected");
        connect();
        assertThatThrownBy(() -> monitor.setMigrateParameters(Map.of("bogus", 1)))
                .isInstanceOfSatisfying(
                        QmpCommandException.class, e -> assertThat(e.command()).isEqualTo("migrate-set-parameters"))
                .hasMessageContaining("bogus");
    }

    @Test
    void queryMigrateCapabilitiesKeepsQemusOrder() throws Exception {
        qemu.expect("query-migrate-capabilities")
                .reply(List.of(
                        Map.of("capability", "xbzrle", "state", false),
                        Map.of("capability", "events", "state", true),
                        Map.of("capability", "postcopy-ram", "state", false)));
        Map<String, Boolean> caps = connect().queryMigrateCapabilities();
        assertThat(caps)
                .containsExactly(
                        Map.entry("xbzrle", false), Map.entry("events", true), Map.entry("postcopy-ram", false));
        assertThatThrownBy(() -> caps.put("multifd", true)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void capabilityEntriesWithoutAStateAreAProtocolError() throws Exception {
        qemu.expect("query-migrate-capabilities").reply(List.of(Map.of("capability", "xbzrle")));
        connect();
        assertThatThrownBy(monitor::queryMigrateCapabilities)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("state");
    }

    @Test
    void setMigrateCapabilitiesSendsOneEntryPerCapabilityInOrder() throws Exception {
        Map<String, Boolean> caps = new LinkedHashMap<>();
        caps.put("events", true);
        caps.put("xbzrle", false);
        caps.put("pause-before-switchover", true);
        connect().setMigrateCapabilities(caps);
        assertThat(sent("migrate-set-capabilities").arguments())
                .isEqualTo(Map.of(
                        "capabilities",
                        List.of(
                                Map.of("capability", "events", "state", true),
                                Map.of("capability", "xbzrle", "state", false),
                                Map.of("capability", "pause-before-switchover", "state", true))));
    }

    @Test
    void dumpGuestMemorySendsItsArgumentsAndLeavesOutANullFormat() throws Exception {
        connect();
        monitor.dumpGuestMemory("fd:dump", false, "kdump-zlib", true);
        assertThat(sent("dump-guest-memory").arguments())
                .isEqualTo(Map.of("protocol", "fd:dump", "paging", false, "format", "kdump-zlib", "detach", true));
        monitor.dumpGuestMemory("file:/var/tmp/core", true, null, false);
        assertThat(qemu.commands().getLast().arguments())
                .isEqualTo(Map.of("protocol", "file:/var/tmp/core", "paging", true, "detach", false));
    }

    @Test
    void queryDumpDecodesProgressAndDefaultsMissingNumbersToZero() throws Exception {
        qemu.expect("query-dump").reply(Map.of("status", "active", "completed", 184320, "total", 67371008));
        qemu.expect("query-dump").reply(Map.of("status", "none"));
        connect();
        assertThat(monitor.queryDump()).isEqualTo(new DumpStatus(DumpState.ACTIVE, 184320, 67371008));
        assertThat(monitor.queryDump()).isEqualTo(new DumpStatus(DumpState.NONE, 0, 0));
    }

    @Test
    void dumpCompletedAndMigrationEventsArriveTyped() throws Exception {
        connect();
        qemu.emit("MIGRATION", Map.of("status", "postcopy-active"));
        qemu.emit("DUMP_COMPLETED", Map.of("result", Map.of("status", "completed", "completed", 4096, "total", 4096)));
        qemu.emit(
                "DUMP_COMPLETED",
                Map.of(
                        "result",
                        Map.of("status", "failed", "completed", 0, "total", 4096),
                        "error",
                        "dump: failed to save memory: Broken pipe"));
        await().atMost(TIMEOUT).until(() -> listener.events().size() == 3);

        List<MonitorEvent> events = listener.events();
        assertThat(events.get(0))
                .isInstanceOfSatisfying(
                        MonitorEvent.Migration.class,
                        m -> assertThat(m.state()).isEqualTo(MigrationStatus.POSTCOPY_ACTIVE));
        assertThat(events.get(1)).isInstanceOfSatisfying(MonitorEvent.DumpCompleted.class, d -> {
            assertThat(d.name()).isEqualTo("DUMP_COMPLETED");
            assertThat(d.result()).isEqualTo(new DumpStatus(DumpState.COMPLETED, 4096, 4096));
            assertThat(d.error()).isNull();
            assertThat(d.timestampMicros()).isPositive();
        });
        assertThat(events.get(2)).isInstanceOfSatisfying(MonitorEvent.DumpCompleted.class, d -> {
            assertThat(d.result().state()).isEqualTo(DumpState.FAILED);
            assertThat(d.error()).contains("Broken pipe");
        });
    }
}
