package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import picocli.CommandLine.Command;

/** {@code detach-device DOMAIN FILE [--live] [--config] [--persistent] [--current]}: unplug or remove. Main thread. */
@Command(name = "detach-device", description = "detach device from an XML file")
public final class DetachDeviceCommand extends DeviceFileCommand {
    public DetachDeviceCommand() {
        super("detach", "detached");
    }

    @Override
    void apply(Connection connection, DomainRef domain, String xml, int flags) {
        connection.detachDevice(domain, xml, flags);
    }
}
