package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.ConnectionUri;
import io.jvirt.api.DomainRef;
import io.jvirt.api.XmlFlags;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import io.jvirt.cli.command.DomainCommand;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code domdisplay DOMAIN [--type vnc|spice] [--all] [--include-password]}: the URI to reach the running
 * domain's display, built from the first {@code <graphics>} of each type as virsh builds it: VNC as
 * {@code vnc://ADDR:DISPLAY} (port - 5900), SPICE as {@code spice://ADDR:PORT[?tls-port=N]}, a wildcard or
 * missing listen address replaced by the connection's host or "localhost". Runs on the main thread.
 */
@Command(name = "domdisplay", description = "domain display connection URI")
public final class DomDisplayCommand extends DomainCommand {
    private static final List<String> SCHEMES = List.of("vnc", "spice");
    private static final int VNC_BASE_PORT = 5900;

    @Option(names = "--type", paramLabel = "<string>", description = "select particular graphical display (vnc, spice)")
    private String type;

    @Option(names = "--all", description = "show all possible graphical displays")
    private boolean all;

    @Option(names = "--include-password", description = "includes the password into the connection URI if available")
    private boolean includePassword;

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        DomainRef ref = domain.lookup(connection);
        if (!connection.isActive(ref)) {
            throw new CliError("Domain is not running");
        }
        String xml = connection.xmlDesc(ref, includePassword ? XmlFlags.SECURE : 0);
        List<DomainXmlFacts.Graphics> graphics = DomainXmlFacts.parse(xml).graphics();
        String connectionHost = ConnectionUri.parse(connection.uri()).host();
        boolean found = false;
        for (String scheme : SCHEMES) {
            if (type != null && !type.equals(scheme)) {
                continue;
            }
            Optional<String> uri = graphics.stream()
                    .filter(g -> scheme.equals(g.type()))
                    .findFirst()
                    .flatMap(g -> displayUri(g, connectionHost, includePassword));
            if (uri.isPresent()) {
                context.out().println(uri.get());
                found = true;
                if (!all) {
                    break;
                }
            }
        }
        if (!found) {
            throw new CliError(
                    type == null
                            ? "No graphical display found"
                            : "No graphical display with type '" + type + "' found");
        }
    }

    static Optional<String> displayUri(DomainXmlFacts.Graphics g, String connectionHost, boolean includePassword) {
        if (g.socket() != null && !g.socket().isEmpty()) {
            return Optional.of(g.type() + "+unix://" + g.socket());
        }
        boolean vnc = "vnc".equals(g.type());
        if (g.port() <= 0 && (vnc || g.tlsPort() <= 0)) {
            return Optional.empty(); // not listening (yet): nothing to connect to
        }
        StringBuilder uri = new StringBuilder(g.type()).append("://");
        if (includePassword && g.passwd() != null && !g.passwd().isEmpty()) {
            uri.append(':').append(g.passwd()).append('@');
        }
        uri.append(host(g.listen(), connectionHost));
        if (vnc) {
            uri.append(':').append(g.port() - VNC_BASE_PORT);
        } else {
            if (g.port() > 0) {
                uri.append(':').append(g.port());
            }
            if (g.tlsPort() > 0) {
                uri.append("?tls-port=").append(g.tlsPort());
            }
        }
        return Optional.of(uri.toString());
    }

    // A wildcard address means "any of the host's": the host the client connected to is the one to use.
    private static String host(String listen, String connectionHost) {
        String host = listen;
        if (host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
            host = connectionHost == null || connectionHost.isEmpty() ? "localhost" : connectionHost;
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
