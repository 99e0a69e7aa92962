package io.jvirt.driver.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorListener;
import io.jvirt.qmp.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The golden argv cases of {@link QemuCommandLineTest}, started on the real QEMU 10.0 with real disk images: QEMU
 * must accept every option and open its monitor, where it waits in {@code prelaunch} (we start it with -S).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a QEMU that hangs fails the class instead of CI
class QemuArgvIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"guest", "devices"})
    void qemuAcceptsTheCommandLineAndOpensItsMonitor(String caseName) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        run(
                "qemu-img",
                "create",
                "-q",
                "-f",
                "qcow2",
                images.resolve("root.qcow2").toString(),
                "16M");
        run("qemu-img", "create", "-q", "-f", "raw", images.resolve("data.raw").toString(), "16M");
        run("qemu-img", "create", "-q", "-f", "raw", images.resolve("cd.iso").toString(), "1M");
        Path kernelDir = Files.createDirectories(dir.resolve("guest"));
        Files.write(kernelDir.resolve("vmlinuz"), new byte[0]);
        String xml = QemuCommandLineTest.resource(caseName + ".xml")
                .replace("/images/", images + "/")
                .replace("/logs/", dir + "/")
                .replace("/run/", dir + "/")
                // A kernel QEMU can load is not needed for -S; drop direct boot so the empty file is not read.
                .replaceAll("<kernel>.*</kernel>|<initrd>.*</initrd>|<cmdline>.*</cmdline>", "")
                .replace("port='5907' autoport='no'", "autoport='yes'")
                .replace("port='5930' autoport='no'", "autoport='yes'");
        DomainDef live = LiveDefinition.prepare(DomainXml.parse(xml), 1, new DisplayPorts());
        Path socket = dir.resolve("m.sock");
        List<String> argv = QemuCommandLine.build(live, QemuCommandLineTest.SETTINGS, socket);

        QemuProcess qemu = QemuProcess.start(
                argv,
                socket,
                dir.resolve("qemu.log"),
                caseName,
                MonitorListener.ignoring(),
                QemuCommandLineTest.SETTINGS);
        try (Monitor monitor = qemu.monitor()) {
            assertThat(monitor.queryStatus().state()).isEqualTo(RunState.PRELAUNCH);
            assertThat(ProcessInspector.isQemuOf(qemu.pid(), live.uuid().toString()))
                    .isTrue();
        } finally {
            assertThat(QemuLauncher.kill(qemu.pid(), live.uuid().toString())).isTrue();
        }
        assertThat(ProcessInspector.isAlive(qemu.pid())).isFalse();
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd)).isZero();
    }
}
