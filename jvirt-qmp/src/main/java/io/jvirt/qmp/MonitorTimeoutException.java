package io.jvirt.qmp;

import java.io.IOException;
import java.time.Duration;

/**
 * A command got no reply within the monitor's command timeout. The monitor stays open: a late reply is dropped,
 * so whether QEMU carried the command out is unknown.
 */
public class MonitorTimeoutException extends IOException {
    private final String command;

    public MonitorTimeoutException(String command, Duration timeout) {
        super("QMP command '" + command + "' got no reply within " + timeout);
        this.command = command;
    }

    public String command() {
        return command;
    }
}
