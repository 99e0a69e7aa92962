package io.jvirt.qmp;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Opens a {@link Monitor} on a QMP socket. The one implementation lives in {@code io.jvirt.qmp.wire} and is found
 * through {@link java.util.ServiceLoader} by {@link Monitors}, so that code using the facade never names the wire
 * package (the same split as libvirt's qemu_monitor.c over qemu_monitor_json.c).
 */
public interface MonitorConnector {
    /**
     * Connects to the QMP socket at {@code path}, reads the greeting and negotiates capabilities, each bounded by
     * {@code commandTimeout}. {@code name} (the domain's) names the monitor's threads and log lines.
     */
    Monitor connect(Path path, String name, MonitorListener listener, Duration commandTimeout) throws IOException;
}
