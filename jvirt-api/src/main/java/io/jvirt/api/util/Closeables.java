package io.jvirt.api.util;

import java.io.Closeable;
import java.io.IOException;

/** Closing during clean-up. Here, in the module every other jvirt module already depends on, so there is one copy. */
public final class Closeables {
    private Closeables() {}

    /**
     * Closes {@code c} (null is fine) and ignores a failure to close: for clean-up after an error that is already
     * being reported, which matters more than this one. Where a failed close is worth a log line, close and log.
     */
    public static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // the caller is already reporting the failure that led here
        }
    }
}
