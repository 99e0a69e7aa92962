package io.jvirt.daemon.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.driver.root.ConfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libvirtd's log_level, log_filters and log_outputs: parsing, refusals naming the key, and what they set up. */
class LogSettingsTest {
    @TempDir
    Path dir;

    private ConfFile conf(String text) throws IOException {
        Path f = dir.resolve("jvirtd.conf");
        Files.writeString(f, text);
        return ConfFile.load(f);
    }

    @Test
    void libvirtStyleSettingsParse() throws IOException {
        LogSettings s = LogSettings.fromConf(
                conf("log_level = 2\nlog_filters = \"1:qemu  3:remote 4:+event 1:io.jvirt.driver.migration\"\n"
                        + "log_outputs = \"1:stderr 3:file:/var/log/jvirt/jvirtd.log 2:journald\"\n"));
        assertThat(s.level()).isEqualTo(2);
        assertThat(s.filters())
                .containsExactly(
                        new LogSettings.Filter(1, "qemu", List.of("io.jvirt.driver", "io.jvirt.qmp")),
                        new LogSettings.Filter(3, "remote", List.of("io.jvirt.daemon", "io.jvirt.remote")),
                        new LogSettings.Filter(
                                4, "event", List.of("io.jvirt.daemon.EventFanout", "io.jvirt.daemon.ClientEvents")),
                        new LogSettings.Filter(1, "io.jvirt.driver.migration", List.of("io.jvirt.driver.migration")));
        assertThat(s.outputs())
                .containsExactly(
                        new LogSettings.Output(1, LogSettings.Target.STDERR, null),
                        new LogSettings.Output(3, LogSettings.Target.FILE, Path.of("/var/log/jvirt/jvirtd.log")),
                        new LogSettings.Output(2, LogSettings.Target.JOURNALD, null));
    }

    @Test
    void noKeysLeaveLoggingAloneAndDefaultsAreLibvirts() throws IOException {
        ConfFile empty = conf("listen_tcp = 0\n");
        assertThat(LogSettings.configured(empty)).isFalse();
        LogSettings s = LogSettings.fromConf(empty);
        assertThat(s.level()).isEqualTo(3);
        assertThat(s.outputs()).containsExactly(new LogSettings.Output(3, LogSettings.Target.STDERR, null));
        assertThat(LogSettings.configured(conf("log_level = 1\n"))).isTrue();
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertRefused(
                "log_level = 5\n",
                "setting 'log_level': level '5' must be 1 (debug), 2 (info), 3 (warning) or 4 (error)");
        assertRefused("log_level = 0\n", "setting 'log_level': level '0'");
        assertRefused("log_filters = \"qemu\"\n", "setting 'log_filters': 'qemu' is not LEVEL:CATEGORY");
        assertRefused("log_filters = \"9:qemu\"\n", "setting 'log_filters': level '9'");
        assertRefused(
                "log_filters = \"1:nosuch\"\n",
                "setting 'log_filters': unknown category 'nosuch'; use one of remote, rpc, event, qemu");
        assertRefused(
                "log_outputs = \"1:syslog:jvirtd\"\n",
                "setting 'log_outputs': '1:syslog:jvirtd': syslog output is not supported");
        assertRefused(
                "log_outputs = \"1:file:relative.log\"\n",
                "setting 'log_outputs': '1:file:relative.log' needs an absolute path");
        assertRefused("log_outputs = \"1:pipe\"\n", "setting 'log_outputs': unknown output 'pipe'");
        assertRefused("log_outputs = \"stderr\"\n", "setting 'log_outputs': 'stderr' is not LEVEL:stderr");
        assertRefused(
                "log_outputs = \"2:stderr:x\"\n", "setting 'log_outputs': '2:stderr:x': stderr takes no argument");
    }

    @Test
    void journaldWithoutItsSocketStopsTheStart() {
        LogSettings s =
                new LogSettings(3, List.of(), List.of(new LogSettings.Output(3, LogSettings.Target.JOURNALD, null)));
        Path missing = dir.resolve("no-journal-socket");
        assertThatThrownBy(() -> LogSetup.apply(s, missing))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONF_SYNTAX))
                .hasMessageContaining(
                        "setting 'log_outputs': journald output asked for, but " + missing + " does not exist");
    }

    @Test
    void filtersAndOutputsSetJulLevelsAndAFileGetsLibvirtStyleLines() throws IOException {
        Logger root = Logger.getLogger("");
        Handler[] saved = root.getHandlers();
        Level savedLevel = root.getLevel();
        Path file = dir.resolve("logs/jvirtd.log");
        try {
            List<Handler> installed = LogSetup.apply(LogSettings.fromConf(conf(
                    "log_level = 3\nlog_filters = \"1:qemu_migration\"\nlog_outputs = \"1:file:" + file + "\"\n")));
            assertThat(root.getLevel()).isEqualTo(Level.WARNING);
            assertThat(Logger.getLogger("io.jvirt.driver.migration").getLevel()).isEqualTo(Level.ALL);
            System.getLogger("io.jvirt.driver.migration.X").log(System.Logger.Level.DEBUG, "phase {0}", "perform3");
            System.getLogger("io.jvirt.daemon.Daemon").log(System.Logger.Level.INFO, "not at level 3");
            System.getLogger("io.jvirt.daemon.Daemon").log(System.Logger.Level.WARNING, "a warning");
            installed.forEach(Handler::flush);
            String text = Files.readString(file);
            assertThat(text)
                    .containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000: \\d+: debug : "
                            + "io\\.jvirt\\.driver\\.migration\\.X: phase perform3\n")
                    .contains(": warning : io.jvirt.daemon.Daemon: a warning\n")
                    .doesNotContain("not at level 3");
            installed.forEach(h -> {
                root.removeHandler(h);
                h.close();
            });
        } finally {
            LogSetup.apply(new LogSettings(2, List.of(), List.of()));
            for (Handler h : root.getHandlers()) {
                root.removeHandler(h);
            }
            for (Handler h : saved) {
                root.addHandler(h);
            }
            root.setLevel(savedLevel);
        }
    }

    private void assertRefused(String text, String message) {
        assertThatThrownBy(() -> LogSettings.fromConf(conf(text)))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONF_SYNTAX))
                .hasMessageContaining(message);
    }
}
