package io.jvirt.cli.host;

import io.jvirt.api.Connection;
import io.jvirt.cli.command.CliCommand;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.VirshFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine.Command;

/**
 * {@code version}: virsh's four lines, naming jvirt where virsh names libvirt: the version this CLI was built
 * as, the version of the library behind the connection, the API (driver type) and the running hypervisor.
 * Runs on the main thread.
 */
@Command(name = "version", description = "show version")
public final class VersionCommand extends CliCommand {
    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        String library = VirshFormat.version(connection.libVersion());
        PrintWriter out = context.out();
        out.println("Compiled against library: jvirt " + builtVersion());
        out.println("Using library: jvirt " + library);
        out.println("Using API: " + connection.hypervisorType() + " " + library);
        long hypervisor = connection.hypervisorVersion();
        if (hypervisor == 0) {
            out.println("Cannot extract running " + connection.hypervisorType() + " hypervisor version");
        } else {
            out.println("Running hypervisor: " + connection.hypervisorType() + " " + VirshFormat.version(hypervisor));
        }
    }

    /** The Maven version the CLI was built as, from a resource filtered at build time. */
    public static String builtVersion() {
        try (InputStream in = VersionCommand.class.getResourceAsStream("/io/jvirt/cli/build.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
