package io.jvirt.remote;

import io.jvirt.api.ConnectionUri;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The {@code ssh} command line libvirt's client runs for a {@code DRIVER+ssh://[USER@]HOST[:PORT]/PATH} URI, word
 * for word as virsh 11.3 runs it:
 *
 * <pre>
 * ssh [-p PORT] [-l USER] [-i KEYFILE] -T -e none [-o BatchMode=yes] [-o StrictHostKeyChecking=no] -- HOST REMOTE
 * </pre>
 *
 * {@code command=} replaces {@code ssh}; {@code no_tty=N} (N ≠ 0) adds BatchMode, {@code no_verify=N} turns host key
 * checking off. REMOTE is a {@code sh -c '…'} line that bridges the ssh channel to the daemon's unix socket on the far
 * host: with {@code proxy=auto} (the default for {@code /system}) it runs {@code virt-ssh-helper [-r] URI} when the
 * far host has it, else {@code nc [-q0] -U /var/run/libvirt/libvirt-sock[-ro]} (the {@code -q0} only for a netcat that
 * knows {@code -q}); {@code socket=} or {@code netcat=} pick netcat, {@code proxy=netcat|native} force one of the
 * two. A jvirtd host is reached through netcat: jvirtd listens on libvirt's socket names when told to
 * ({@code libvirt_sockets = 1}). libvirt's {@code known_hosts}, {@code known_hosts_verify} and {@code sshauth} belong
 * to its libssh transports; the ssh binary ignores them, and so does this client (ssh's own configuration applies).
 *
 * @param argv        the full command line, the ssh binary first
 * @param destination {@code [USER@]HOST[:PORT]}, for messages
 */
public record SshCommand(List<String> argv, String destination) {
    /** The socket directory libvirt names on the far host: {@code /var/run}, which every host has, not /run. */
    static final String REMOTE_SOCKET_DIR = "/var/run/libvirt/";

    private static final String SHELL_SPECIAL = "\r\t\n !\"#$&'()*;<>?[\\]^`{|}~";
    /** The query parameters that stay in the URI virt-ssh-helper gets although the name sent to the daemon drops them. */
    private static final Set<String> KEPT_FOR_HELPER = Set.of("mode", "socket");

    public SshCommand {
        argv = List.copyOf(argv);
    }

    /**
     * The command for {@code uri} (transport {@code ssh}); {@code readOnly} is virsh's {@code -r}, {@code name} the
     * name sent in CONNECT_OPEN when the query set one with {@code name=}, else null.
     */
    static SshCommand of(ConnectionUri uri, boolean readOnly, String name, Set<String> clientOnly) {
        String host = hostOf(uri);
        String user = userOf(uri.text());
        List<String> argv = new ArrayList<>();
        argv.add(nonEmpty(uri.param("command"), "ssh"));
        if (uri.port() > 0) {
            argv.addAll(List.of("-p", Integer.toString(uri.port())));
        }
        if (user != null) {
            argv.addAll(List.of("-l", user));
        }
        if (uri.param("keyfile") != null) {
            argv.addAll(List.of("-i", uri.param("keyfile")));
        }
        argv.addAll(List.of("-T", "-e", "none"));
        if (UriFlags.flag(uri, "no_tty")) {
            argv.addAll(List.of("-o", "BatchMode=yes"));
        }
        if (UriFlags.flag(uri, "no_verify")) {
            argv.addAll(List.of("-o", "StrictHostKeyChecking=no"));
        }
        argv.addAll(List.of("--", host, remoteCommand(uri, readOnly, name, clientOnly)));
        String destination = (user == null ? "" : user + "@") + host + (uri.port() > 0 ? ":" + uri.port() : "");
        return new SshCommand(argv, destination);
    }

    /** The line the far host's shell runs: virt-ssh-helper or netcat on the daemon's socket, as libvirt picks. */
    static String remoteCommand(ConnectionUri uri, boolean readOnly, String name, Set<String> clientOnly) {
        String mode = uri.param("mode");
        if (mode != null && !Set.of("auto", "legacy", "direct").contains(mode)) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.REMOTE, "Unknown remote mode '" + mode + "'");
        }
        boolean userDaemon = "/session".equals(uri.path()) && !runningAsRoot();
        String netcat = uri.param("netcat");
        String socket = uri.param("socket");
        Proxy proxy = Proxy.of(uri.param("proxy"), socket != null, userDaemon);
        if (proxy == Proxy.AUTO && netcat != null) {
            proxy = Proxy.NETCAT;
        }
        if (socket == null) {
            if ("direct".equals(mode)) {
                // The URI's own driver picks direct sockets only for local unix connections.
                throw VirtException.of(
                        ErrorCode.OPERATION_UNSUPPORTED,
                        ErrorDomain.REMOTE,
                        "Cannot use direct socket mode for ssh transport");
            }
            String suffix = readOnly ? "sock-ro" : "sock";
            socket = userDaemon ? userRuntimeDir() + "/libvirt-sock" : REMOTE_SOCKET_DIR + "libvirt-" + suffix;
        }
        String nc = doubleQuote(netcat == null ? "nc" : netcat);
        String ncLine = "if '" + nc + "' -q 2>&1 | grep \"requires an argument\" >/dev/null 2>&1; then ARG=-q0;else "
                + "ARG=;fi;'" + nc + "' $ARG -U " + outsideTheQuotes(socket);
        String helperUri = name != null ? name : helperUri(uri, clientOnly);
        String helperLine = "virt-ssh-helper" + (readOnly ? " -r " : " ") + "'" + doubleQuote(helperUri) + "'";
        return switch (proxy) {
            case AUTO ->
                "sh -c 'which virt-ssh-helper 1>/dev/null 2>&1; if test $? = 0; then     " + helperLine + "; else    "
                        + ncLine + "; fi'";
            case NETCAT -> "sh -c '" + ncLine + "'";
            case NATIVE -> {
                if (netcat != null) {
                    throw VirtException.of(
                            ErrorCode.INVALID_ARG, ErrorDomain.REMOTE, "netcat path not valid with native proxy mode");
                }
                yield "sh -c '" + helperLine + "'";
            }
        };
    }

    /** How the far end reaches the daemon's socket ({@code proxy=}, libvirt's remote_proxy). */
    private enum Proxy {
        AUTO,
        NETCAT,
        NATIVE;

        static Proxy of(String text, boolean socketGiven, boolean userDaemon) {
            if (text == null) {
                // A socket path only netcat can use; a per-user daemon's socket only the far host can name.
                return socketGiven ? NETCAT : userDaemon ? NATIVE : AUTO;
            }
            return switch (text) {
                case "auto" -> AUTO;
                case "netcat" -> NETCAT;
                case "native" -> NATIVE;
                // sic: libvirt's own spelling, which users match on
                default ->
                    throw VirtException.of(
                            ErrorCode.INVALID_ARG, ErrorDomain.REMOTE, "Unnkown proxy type '" + text + "'");
            };
        }
    }

    /** The URI virt-ssh-helper is given: the name sent to the daemon, with {@code mode=} and {@code socket=} kept. */
    private static String helperUri(ConnectionUri uri, Set<String> clientOnly) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        for (Map.Entry<String, String> e : uri.params().entrySet()) {
            if (!clientOnly.contains(e.getKey()) || KEPT_FOR_HELPER.contains(e.getKey())) {
                query.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            }
        }
        return uri.driver() + "://" + uri.path() + query;
    }

    /**
     * {@code text} where the remote line is inside the outer single quotes: as it is when it needs no quoting (as
     * libvirt writes a socket path), else out of those quotes and quoted for both shells, so no path can end them.
     */
    static String outsideTheQuotes(String text) {
        String quoted = doubleQuote(text);
        return quoted.equals(text) ? text : "'" + quoted + "'";
    }

    /**
     * {@code text} quoted for a shell twice over: sshd hands the command to the user's shell, which hands the inner
     * line to {@code sh -c}.
     */
    static String doubleQuote(String text) {
        return shellQuote(shellQuote(text));
    }

    /** As libvirt quotes for /bin/sh: untouched without metacharacters, else in single quotes ({@code '} as '\''). */
    static String shellQuote(String text) {
        if (text.isEmpty()) {
            return "''";
        }
        if (text.chars().noneMatch(c -> SHELL_SPECIAL.indexOf(c) >= 0)) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** The far host as ssh takes it: an IPv6 address without the URI's brackets; none means localhost. */
    static String hostOf(ConnectionUri uri) {
        String host = uri.host();
        if (host.isEmpty()) {
            return "localhost";
        }
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String userOf(String text) {
        try {
            String info = new URI(text).getUserInfo();
            return info == null || info.isEmpty() ? null : info;
        } catch (URISyntaxException e) {
            return null; // ConnectionUri parsed it already; it cannot fail here
        }
    }

    private static String nonEmpty(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** Whether this process runs as root; libvirt uses the per-user daemon's socket for /session otherwise. */
    private static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** glib's user runtime directory ($XDG_RUNTIME_DIR, else the cache directory) with libvirt's subdirectory. */
    private static String userRuntimeDir() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime == null || runtime.isEmpty()) {
            String cache = System.getenv("XDG_CACHE_HOME");
            runtime = cache != null && !cache.isEmpty() ? cache : System.getProperty("user.home") + "/.cache";
        }
        return runtime + "/libvirt";
    }
}
