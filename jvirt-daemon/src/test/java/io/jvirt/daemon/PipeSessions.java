package io.jvirt.daemon;

import io.jvirt.api.Connection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts {@link PipeSession}s for a test and ends them after it, after the test's own {@code @AfterEach} methods.
 * Register one per test instance with {@code @RegisterExtension}.
 */
final class PipeSessions implements AfterEachCallback {
    private final List<PipeSession> started = new ArrayList<>();

    PipeSession start(Connection driver, boolean readOnlySocket, DaemonConfig config) throws IOException {
        PipeSession p = PipeSession.start(driver, readOnlySocket, config);
        started.add(p);
        return p;
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        for (PipeSession p : started) {
            p.close();
        }
        started.clear();
    }
}
