package io.jvirt.qmp;

import java.io.IOException;

/** QEMU answered a command with an error ({@code {"error": {"class": …, "desc": …}}}). The monitor stays usable. */
public class QmpCommandException extends IOException {
    private final String command;
    private final String errorClass;
    private final String description;

    public QmpCommandException(String command, String errorClass, String description) {
        super("QMP command '" + command + "' failed: " + errorClass + ": " + description);
        this.command = command;
        this.errorClass = errorClass;
        this.description = description;
    }

    public String command() {
        return command;
    }

    /** QEMU's error class, e.g. {@code "GenericError"}, {@code "CommandNotFound"}, {@code "DeviceNotActive"}. */
    public String errorClass() {
        return errorClass;
    }

    /** QEMU's human-readable description. */
    public String description() {
        return description;
    }
}
