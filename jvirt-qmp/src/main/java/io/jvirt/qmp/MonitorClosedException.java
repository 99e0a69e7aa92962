package io.jvirt.qmp;

import java.io.IOException;

/** The monitor was closed, or its QEMU went away, before the command got a reply. The cause says why, if known. */
public class MonitorClosedException extends IOException {
    public MonitorClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
