package io.jvirt.cli.domain;

import static io.jvirt.cli.command.VirshFormat.field;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainInfo;
import io.jvirt.api.DomainRef;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.DomainCommand;
import io.jvirt.cli.command.VirshFormat;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * {@code dominfo DOMAIN}: virsh's fields in virsh's order and layout. jvirt has no security driver, so those
 * lines always read "none" and "0", as libvirt's QEMU driver prints them with {@code security_driver = "none"}.
 * Runs on the main thread.
 */
@Command(name = "dominfo", description = "domain information")
public final class DomInfoCommand extends DomainCommand {
    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        DomainRef ref = domain.lookup(connection);
        DomainInfo info = connection.info(ref);
        PrintWriter out = context.out();
        out.println(field("Id:", ref.isActive() ? Integer.toString(ref.id()) : "-"));
        out.println(field("Name:", ref.name()));
        out.println(field("UUID:", ref.uuid()));
        osType(connection, ref).ifPresent(type -> out.println(field("OS Type:", type)));
        out.println(field("State:", VirshFormat.state(info.state())));
        out.println(field("CPU(s):", info.vcpus()));
        if (info.cpuTimeNs() != 0) {
            out.println(field("CPU time:", VirshFormat.cpuTime(info.cpuTimeNs())));
        }
        out.println(field("Max memory:", info.maxMemKiB() + " KiB"));
        out.println(field("Used memory:", info.memoryKiB() + " KiB"));
        out.println(field("Persistent:", persistent(connection, ref)));
        autostart(connection, ref).ifPresent(on -> out.println(field("Autostart:", on ? "enable" : "disable")));
        out.println(field("Managed save:", managedSave(connection, ref)));
        out.println(field("Security model:", "none"));
        out.println(field("Security DOI:", "0"));
    }

    // virsh leaves out what it cannot learn rather than failing the whole command.
    private static Optional<String> osType(Connection connection, DomainRef ref) {
        try {
            return DomainXmlFacts.parse(connection.xmlDesc(ref, 0)).osType();
        } catch (VirtException e) {
            return Optional.empty();
        }
    }

    private static String managedSave(Connection connection, DomainRef ref) {
        try {
            return connection.hasManagedSaveImage(ref) ? "yes" : "no";
        } catch (VirtException e) {
            return "unknown";
        }
    }

    private static String persistent(Connection connection, DomainRef ref) {
        try {
            return connection.isPersistent(ref) ? "yes" : "no";
        } catch (VirtException e) {
            return "unknown";
        }
    }

    private static Optional<Boolean> autostart(Connection connection, DomainRef ref) {
        try {
            return Optional.of(connection.autostart(ref));
        } catch (VirtException e) {
            return Optional.empty();
        }
    }
}
