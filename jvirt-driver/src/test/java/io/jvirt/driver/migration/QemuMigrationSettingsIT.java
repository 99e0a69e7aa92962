package io.jvirt.driver.migration;

import static io.jvirt.api.MigrateFlags.AUTO_CONVERGE;
import static io.jvirt.api.MigrateFlags.COMPRESSED;
import static io.jvirt.api.MigrateFlags.LIVE;
import static io.jvirt.api.MigrateFlags.PARALLEL;
import static io.jvirt.api.MigrateFlags.PEER2PEER;
import static io.jvirt.api.MigrateFlags.POSTCOPY;
import static io.jvirt.api.MigrateFlags.TUNNELLED;
import static io.jvirt.api.MigrateFlags.ZEROCOPY;
import static io.jvirt.api.TypedParam.integer;
import static io.jvirt.api.TypedParam.string;
import static io.jvirt.api.TypedParam.ullong;
import static io.jvirt.driver.migration.MigrationOptions.Side.DESTINATION;
import static io.jvirt.driver.migration.MigrationOptions.Side.SOURCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.MigrateParams;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.driver.migration.MigrationOptions.Side;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorListener;
import io.jvirt.qmp.wire.QmpMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link QemuMigrationSettings} against the real QEMU 10.0 of this machine (a bare {@code -machine none} process):
 * every capability and parameter name it can emit exists, and QEMU accepts what it sends for the usual flag
 * combinations on either side.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a QEMU that hangs fails the class instead of CI
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QemuMigrationSettingsIT {
    private long qemuPid;
    private Monitor monitor;

    @BeforeAll
    void startQemu(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("qmp.sock");
        Path pidFile = dir.resolve("qemu.pid");
        // -daemonize returns only once the monitor socket listens, so no waiting for it is needed.
        Process launcher = new ProcessBuilder(
                        "qemu-system-x86_64",
                        "-machine",
                        "none",
                        "-nodefaults",
                        "-display",
                        "none",
                        "-daemonize",
                        "-pidfile",
                        pidFile.toString(),
                        "-qmp",
                        "unix:" + socket + ",server=on,wait=off")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile())
                .start();
        assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(launcher.exitValue())
                .as(Files.readString(dir.resolve("qemu.log")))
                .isZero();
        qemuPid = Long.parseLong(Files.readString(pidFile).trim());
        monitor = QmpMonitor.connect(socket, "settings-it", MonitorListener.ignoring(), Duration.ofSeconds(10));
        assertThat(monitor.version().major()).isEqualTo(10);
    }

    @AfterAll
    void stopQemu() throws Exception {
        if (monitor != null) {
            monitor.close();
        }
        if (qemuPid > 0) {
            ProcessHandle.of(qemuPid).ifPresent(p -> {
                p.destroy();
                p.onExit().orTimeout(10, TimeUnit.SECONDS).join();
            });
            assertThat(ProcessHandle.of(qemuPid).map(ProcessHandle::isAlive).orElse(false))
                    .isFalse();
        }
    }

    @Test
    void everyNameJvirtEmitsExistsInQemu10() throws Exception {
        Map<String, Boolean> caps = monitor.queryMigrateCapabilities();
        for (String cap : QemuMigrationSettings.MANAGED_CAPABILITIES) {
            if (cap.equals(QemuMigrationSettings.COMPRESS)) {
                assertThat(caps).as("QEMU 10 dropped multithreaded compression").doesNotContainKey(cap);
            } else {
                assertThat(caps).as("capability " + cap).containsKey(cap);
            }
        }
        Map<String, Object> params = monitor.queryMigrateParameters().raw();
        assertThat(params.keySet()).containsAll(QemuMigrationSettings.PARAMETER_NAMES);
    }

    record Combination(String name, long flags, List<TypedParam> params, Side side) {
        @Override
        public String toString() {
            return name + " (" + side + ")";
        }
    }

    static Stream<Combination> combinations() {
        List<TypedParam> none = List.of();
        Stream.Builder<Combination> b = Stream.builder();
        for (Side side : Side.values()) {
            b.add(new Combination("plain live", LIVE, none, side));
            b.add(new Combination("tunnelled", LIVE | PEER2PEER | TUNNELLED, none, side));
            b.add(new Combination(
                    "post-copy",
                    LIVE | POSTCOPY,
                    List.of(ullong(MigrateParams.BANDWIDTH_POSTCOPY, 64), ullong(MigrateParams.BANDWIDTH, 100)),
                    side));
            b.add(new Combination(
                    "xbzrle with a cache",
                    LIVE | COMPRESSED,
                    List.of(
                            string(MigrateParams.COMPRESSION, "xbzrle"),
                            ullong(MigrateParams.COMPRESSION_XBZRLE_CACHE, 256L << 20)),
                    side));
            b.add(new Combination(
                    "auto-converge tuned",
                    LIVE | AUTO_CONVERGE,
                    List.of(
                            integer(MigrateParams.AUTO_CONVERGE_INITIAL, 30),
                            integer(MigrateParams.AUTO_CONVERGE_INCREMENT, 15)),
                    side));
            b.add(new Combination(
                    "parallel zstd",
                    LIVE | PARALLEL,
                    List.of(
                            integer(MigrateParams.PARALLEL_CONNECTIONS, 4),
                            string(MigrateParams.COMPRESSION, "zstd"),
                            integer(MigrateParams.COMPRESSION_ZSTD_LEVEL, 20)),
                    side));
            b.add(new Combination(
                    "parallel zlib",
                    LIVE | PARALLEL,
                    List.of(
                            string(MigrateParams.COMPRESSION, "zlib"),
                            integer(MigrateParams.COMPRESSION_ZLIB_LEVEL, 9)),
                    side));
            b.add(new Combination("parallel zero-copy", LIVE | PARALLEL | ZEROCOPY, none, side));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("combinations")
    void qemuAcceptsTheSettings(Combination c) throws Exception {
        MigrationOptions options = MigrationOptions.parse(c.params(), c.flags(), c.side());
        QemuMigrationSettings settings = QemuMigrationSettings.of(options, c.side(), 0, Set.of("switchover-ack"));
        Map<String, Boolean> supported = monitor.queryMigrateCapabilities();
        Map<String, Boolean> wanted = settings.capabilities(supported);
        Map<String, Object> originals = monitor.queryMigrateParameters().raw();
        try {
            monitor.setMigrateCapabilities(wanted);
            monitor.setMigrateParameters(settings.parameters());

            Map<String, Boolean> now = monitor.queryMigrateCapabilities();
            wanted.forEach((name, on) -> assertThat(now.get(name)).as(name).isEqualTo(on));
            Map<String, Object> params = monitor.queryMigrateParameters().raw();
            settings.parameters()
                    .forEach((name, value) -> assertThat(String.valueOf(params.get(name)))
                            .as(name)
                            .isEqualTo(String.valueOf(value)));
            if (c.side() == SOURCE) {
                long expectedMiBps = options.bandwidthMiBps() == null ? 8796093022207L : options.bandwidthMiBps();
                assertThat(monitor.queryMigrateParameters().maxBandwidth()).isEqualTo(expectedMiBps * 1024 * 1024);
            }
        } finally {
            // As after a real migration: capabilities off, the parameters this class changed put back.
            monitor.setMigrateCapabilities(QemuMigrationSettings.reset(monitor.queryMigrateCapabilities()));
            monitor.setMigrateParameters(QemuMigrationSettings.restorable(originals));
        }
        Map<String, Boolean> after = monitor.queryMigrateCapabilities();
        QemuMigrationSettings.reset(after)
                .keySet()
                .forEach(name -> assertThat(after.get(name)).as(name).isEqualTo(name.equals("events")));
        assertThat(monitor.queryMigrateParameters().raw()).isEqualTo(originals);
    }

    @Test
    void multithreadedCompressionIsRefusedBeforeQemuIsTouched() throws Exception {
        MigrationOptions mt =
                MigrationOptions.parse(List.of(string(MigrateParams.COMPRESSION, "mt")), LIVE, DESTINATION);
        assertThatThrownBy(() -> QemuMigrationSettings.of(mt, DESTINATION, 0)
                        .requireSupported(monitor.queryMigrateCapabilities()))
                .isInstanceOf(VirtException.class)
                .hasMessage("argument unsupported: Migration option 'compress' is not supported by QEMU binary");
    }
}
