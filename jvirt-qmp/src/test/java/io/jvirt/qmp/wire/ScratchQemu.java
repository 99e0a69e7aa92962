package io.jvirt.qmp.wire;

import static org.awaitility.Awaitility.await;

import io.jvirt.qmp.MigrationStatus;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real QEMU for integration tests (TCG, pc machine, no devices, paused with -S, plus any extra arguments) and a
 * monitor on it with a recording listener. {@link #close()} closes the monitor and kills the process it started.
 */
@SuppressWarnings("try") // close() waits for QEMU to end, so it may be interrupted
final class ScratchQemu implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final Process process;
    final RecordingMonitorListener listener = new RecordingMonitorListener();
    final Monitor monitor;
    private final Path log;

    private ScratchQemu(Path dir, String name, String memoryMiB, List<String> extra) throws IOException {
        Path socket = dir.resolve(name + ".sock");
        log = dir.resolve(name + ".log");
        List<String> argv = new ArrayList<>(List.of(
                "qemu-system-x86_64",
                "-accel",
                "tcg",
                "-machine",
                "pc",
                "-m",
                memoryMiB,
                "-display",
                "none",
                "-nodefaults",
                "-S",
                "-qmp",
                "unix:" + socket + ",server=on,wait=off"));
        argv.addAll(extra);
        process = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Monitor connected = null;
        try {
            await().atMost(TIMEOUT).until(() -> Files.exists(socket) || !process.isAlive());
            if (!process.isAlive()) {
                throw new IOException("QEMU " + name + " exited: " + Files.readString(log));
            }
            connected = QmpMonitor.connect(socket, name, listener, TIMEOUT);
        } finally {
            if (connected == null) {
                process.destroyForcibly();
            }
        }
        monitor = connected;
    }

    static ScratchQemu start(Path dir, String name, String memoryMiB, String... extra) throws IOException {
        return new ScratchQemu(dir, name, memoryMiB, List.of(extra));
    }

    /** Waits for a MIGRATION event with {@code status} (needs the {@code events} capability on). */
    void awaitMigrationEvent(MigrationStatus status) {
        await().atMost(TIMEOUT)
                .until(() -> listener.events().stream()
                        .anyMatch(e -> e instanceof MonitorEvent.Migration m && m.state() == status));
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        monitor.close();
        process.destroyForcibly();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("QEMU pid " + process.pid() + " did not exit");
        }
    }
}
