package io.jvirt.driver.process;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.root.DriverSettings;
import io.jvirt.nativeio.ChildProcess;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorListener;
import io.jvirt.qmp.Monitors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A QEMU we started or found again, with its monitor connected. */
public record QemuProcess(long pid, Monitor monitor) {
    private static final Duration RETRY_WAIT = Duration.ofMillis(20);

    /**
     * Starts QEMU with {@code argv} and connects to its monitor at {@code socket}, waiting up to the start timeout
     * for QEMU to open it. If QEMU exits first, the error quotes what it wrote to its log.
     */
    public static QemuProcess start(
            List<String> argv, Path socket, Path log, String name, MonitorListener listener, DriverSettings settings) {
        return start(argv, socket, log, name, listener, settings, List.of());
    }

    /** As above, passing {@code passFds} to QEMU as its fds 3, 4, … (see {@link PassedFds}). */
    public static QemuProcess start(
            List<String> argv,
            Path socket,
            Path log,
            String name,
            MonitorListener listener,
            DriverSettings settings,
            List<Integer> passFds) {
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw VirtException.of(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "cannot remove stale " + socket, e);
        }
        ChildProcess child = QemuLauncher.launch(argv, log, passFds);
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw startFailed(name, log, "process exited while connecting to monitor");
            }
            if (Files.exists(socket)) {
                try {
                    return new QemuProcess(
                            child.pid(), Monitors.connect(socket, name, listener, settings.monitorTimeout()));
                } catch (IOException e) {
                    last = e;
                } catch (RuntimeException e) {
                    QemuLauncher.killNow(child);
                    throw e;
                }
            }
            // Wake as soon as QEMU exits; otherwise look again shortly, as the socket appears during QEMU's setup.
            QemuLauncher.awaitExit(child, RETRY_WAIT);
        }
        QemuLauncher.killNow(child);
        throw startFailed(
                name,
                log,
                "monitor socket did not show up in " + settings.startTimeout().toSeconds() + " s"
                        + (last == null ? "" : " (" + last.getMessage() + ")"));
    }

    /** Connects to the monitor of a QEMU that was started earlier, by a driver that has since closed. */
    public static Monitor reconnect(Path socket, String name, MonitorListener listener, DriverSettings settings)
            throws IOException {
        return Monitors.connect(socket, name, listener, settings.monitorTimeout());
    }

    private static VirtException startFailed(String name, Path log, String what) {
        String tail = QemuLauncher.logTail(log);
        return VirtException.of(
                ErrorCode.INTERNAL_ERROR,
                ErrorDomain.QEMU,
                "QEMU for domain '" + name + "' failed to start: " + what + (tail.isEmpty() ? "" : ": " + tail));
    }
}
