package io.jvirt.remote;

import io.jvirt.api.ConnectionUri;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.tls.PkiFiles;
import io.jvirt.rpc.tls.TlsContext;
import io.jvirt.rpc.tls.TlsPriority;
import io.jvirt.rpc.tls.TlsRole;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Where a remote URI leads and what it asks the server for:
 * <ul>
 *   <li>{@code DRIVER+unix:///PATH[?socket=SOCK]}: a unix socket, {@link #DEFAULT_SOCKET} unless {@code socket=};</li>
 *   <li>{@code DRIVER+tcp://HOST[:PORT]/PATH}: TCP, port {@link #DEFAULT_TCP_PORT} unless given;</li>
 *   <li>{@code DRIVER+ssh://[USER@]HOST[:PORT]/PATH}: through {@code ssh} to the far host's daemon socket, as libvirt
 *       goes ({@link SshCommand}); {@code address} then only names the far host;</li>
 *   <li>{@code DRIVER+tls://HOST[:PORT]/PATH}: TLS as libvirt's client does it, port {@link #DEFAULT_TLS_PORT}
 *       unless given, libvirt's client files ({@code pkipath=DIR} for a directory of its own), {@code no_verify=1}
 *       to accept a server whose certificate fails the checks, {@code no_sanity=1} to skip the check of our own,
 *       {@code tls_priority=};</li>
 *   <li>{@code qemu:///system} (no transport): the local jvirt daemon's unix socket, as {@code qemu+unix}.</li>
 * </ul>
 * Query parameters the client consumes: {@code socket}, {@code name} (the URI to send instead), {@code readonly=1}
 * (CONNECT_OPEN flag 1; with no {@code socket=} it also picks {@link #DEFAULT_RO_SOCKET}),
 * {@code keepalive_interval} (seconds, 0 = no client PINGs) and {@code keepalive_count}. libvirt's other
 * client-side parameters are dropped; the rest stay in the name sent in CONNECT_OPEN, which is the URI without
 * transport, host and port, as libvirt's remote driver sends it ({@code qemu:///system}).
 *
 * @param address  the socket to connect to
 * @param openName the URI sent in CONNECT_OPEN
 * @param options  read-only and keepalive settings from the query (over the caller's defaults)
 * @param ssh      the ssh command to run and speak through, for an {@code ssh} transport
 * @param tls      the client's TLS settings for {@code +tls}; empty for the other transports
 */
public record RemoteUri(
        SocketAddress address,
        String openName,
        RemoteOptions options,
        Optional<SshCommand> ssh,
        Optional<TlsContext.Settings> tls) {
    /** The jvirt daemon's read-write socket. libvirtd's own is {@code /run/libvirt/libvirt-sock}: pass it as socket=. */
    public static final String DEFAULT_SOCKET = "/run/jvirt/jvirt-sock";
    /** The jvirt daemon's read-only socket. */
    public static final String DEFAULT_RO_SOCKET = "/run/jvirt/jvirt-sock-ro";
    /** libvirtd's {@code tcp_port}. */
    public static final int DEFAULT_TCP_PORT = 16509;
    /** ssh's port, unless the URI or ssh's configuration names another. */
    static final int DEFAULT_SSH_PORT = 22;
    /** libvirtd's {@code tls_port}. */
    public static final int DEFAULT_TLS_PORT = 16514;

    private static final Set<String> CLIENT_ONLY = Set.of(
            "socket",
            "name",
            "command",
            "auth",
            "pkipath",
            "no_verify",
            "no_tty",
            "mode",
            "proxy",
            "keyfile",
            "sshauth",
            "netcat",
            "known_hosts",
            "known_hosts_verify",
            "tls_priority",
            "no_sanity",
            "authfile",
            "readonly",
            "keepalive_interval",
            "keepalive_count");

    /** Whether this client handles {@code uri}; see the type's doc. Never claims {@code qemu:///embed}. */
    public static boolean accepts(ConnectionUri uri) {
        return switch (uri.transport()) {
            case "unix" -> uri.host().isEmpty() && !uri.driver().isEmpty();
            case "tcp", "tls" -> !uri.host().isEmpty() && !uri.driver().isEmpty();
            case "ssh" -> !uri.driver().isEmpty();
            case "" -> "qemu".equals(uri.driver()) && uri.host().isEmpty() && "/system".equals(uri.path());
            default -> false;
        };
    }

    public static RemoteUri parse(ConnectionUri uri, RemoteOptions defaults) {
        if (!accepts(uri)) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.REMOTE,
                    "URI '" + uri.text() + "' is not a remote URI (qemu+unix, qemu+tcp, qemu+tls, qemu+ssh or "
                            + "qemu:///system)");
        }
        RemoteOptions options = optionsFrom(uri, defaults);
        String name = uri.param("name");
        if ("ssh".equals(uri.transport())) {
            SshCommand ssh = SshCommand.of(uri, options.readOnly(), name, CLIENT_ONLY);
            String host = SshCommand.hostOf(uri);
            SocketAddress far =
                    InetSocketAddress.createUnresolved(host, uri.port() > 0 ? uri.port() : DEFAULT_SSH_PORT);
            return new RemoteUri(far, name != null ? name : openName(uri), options, Optional.of(ssh), Optional.empty());
        }
        SocketAddress address;
        Optional<TlsContext.Settings> tls = Optional.empty();
        if ("tcp".equals(uri.transport())) {
            address = InetSocketAddress.createUnresolved(uri.host(), uri.port() < 0 ? DEFAULT_TCP_PORT : uri.port());
        } else if ("tls".equals(uri.transport())) {
            address = InetSocketAddress.createUnresolved(uri.host(), uri.port() < 0 ? DEFAULT_TLS_PORT : uri.port());
            tls = Optional.of(tlsSettings(uri));
        } else {
            String socket = uri.param("socket");
            if (socket == null || socket.isBlank()) {
                socket = options.readOnly() ? DEFAULT_RO_SOCKET : DEFAULT_SOCKET;
            }
            address = UnixDomainSocketAddress.of(socket);
        }
        return new RemoteUri(address, name != null ? name : openName(uri), options, Optional.empty(), tls);
    }

    /** libvirt's client side of TLS: its files (or pkipath's), verification and sanity switches, priority. */
    private static TlsContext.Settings tlsSettings(ConnectionUri uri) {
        PkiFiles files = PkiFiles.locate(
                uri.param("pkipath"),
                PkiFiles.runningAsRoot(),
                Path.of(System.getProperty("user.home")),
                TlsRole.CLIENT);
        String priority = uri.param("tls_priority");
        return new TlsContext.Settings(
                TlsRole.CLIENT,
                files,
                !UriFlags.flag(uri, "no_sanity"),
                !UriFlags.flag(uri, "no_verify"),
                Optional.empty(),
                TlsPriority.parse(priority == null || priority.isEmpty() ? TlsPriority.DEFAULT : priority));
    }

    private static RemoteOptions optionsFrom(ConnectionUri uri, RemoteOptions defaults) {
        RemoteOptions o = defaults;
        String ro = uri.param("readonly");
        if (ro != null) {
            o = o.withReadOnly(
                    ro.isEmpty() || ro.equals("1") || ro.equalsIgnoreCase("true") || ro.equalsIgnoreCase("yes"));
        }
        String interval = uri.param("keepalive_interval");
        String count = uri.param("keepalive_count");
        if (interval != null || count != null) {
            try {
                Duration d = interval == null
                        ? o.keepaliveInterval()
                        : Duration.ofMillis(Math.round(Double.parseDouble(interval) * 1000));
                o = o.withKeepalive(d, count == null ? o.keepaliveCount() : Integer.parseInt(count));
            } catch (IllegalArgumentException e) {
                throw VirtException.of(
                        ErrorCode.INVALID_ARG,
                        ErrorDomain.REMOTE,
                        "bad keepalive setting in '" + uri.text() + "': " + e.getMessage(),
                        e);
            }
        }
        return o;
    }

    private static String openName(ConnectionUri uri) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        for (Map.Entry<String, String> e : uri.params().entrySet()) {
            if (!CLIENT_ONLY.contains(e.getKey())) {
                query.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            }
        }
        return uri.driver() + "://" + uri.path() + query;
    }
}
