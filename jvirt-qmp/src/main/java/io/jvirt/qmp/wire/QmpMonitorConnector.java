package io.jvirt.qmp.wire;

import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorConnector;
import io.jvirt.qmp.MonitorListener;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Provides {@link QmpMonitor} to {@link io.jvirt.qmp.Monitors} through the service loader. */
public final class QmpMonitorConnector implements MonitorConnector {
    @Override
    public Monitor connect(Path path, String name, MonitorListener listener, Duration commandTimeout)
            throws IOException {
        return QmpMonitor.connect(path, name, listener, commandTimeout);
    }
}
