package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import picocli.CommandLine.Command;

/** {@code attach-device DOMAIN FILE [--live] [--config] [--persistent] [--current]}: hot-plug or add. Main thread. */
@Command(name = "attach-device", description = "attach device from an XML file")
public final class AttachDeviceCommand extends DeviceFileCommand {
    public AttachDeviceCommand() {
        super("attach", "attached");
    }

    @Override
    void apply(Connection connection, DomainRef domain, String xml, int flags) {
        connection.attachDevice(domain, xml, flags);
    }
}
