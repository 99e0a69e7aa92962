package io.jvirt.qmp;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;

/** Where the driver gets its monitors: the {@link MonitorConnector} on the class path, looked up once. */
public final class Monitors {
    private static final MonitorConnector CONNECTOR = ServiceLoader.load(MonitorConnector.class)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no " + MonitorConnector.class.getName()
                    + " on the class path (jvirt-qmp's META-INF/services entry is missing)"));

    private Monitors() {}

    /** As {@link MonitorConnector#connect}. Any thread. */
    public static Monitor connect(Path path, String name, MonitorListener listener, Duration commandTimeout)
            throws IOException {
        return CONNECTOR.connect(path, name, listener, commandTimeout);
    }
}
