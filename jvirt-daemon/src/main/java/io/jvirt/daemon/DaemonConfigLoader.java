package io.jvirt.daemon;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.root.ConfFile;
import io.jvirt.rpc.tls.PkiFiles;
import io.jvirt.rpc.tls.TlsContext;
import io.jvirt.rpc.tls.TlsPriority;
import io.jvirt.rpc.tls.TlsRole;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link DaemonConfig} from the command line ({@code --root DIR}, {@code --config FILE},
 * {@code --listen tcp://ADDR:PORT}) and a file in libvirtd.conf syntax. Keys read:
 * <pre>
 * listen_tcp = 1                 # 0/1, TCP listener off by default (auth none)
 * listen_addr = "127.0.0.1"      # default 0.0.0.0
 * tcp_port = "16509"             # string or number, default 16509
 * unix_sock_dir = "/run/jvirt"   # where jvirt-sock and jvirt-sock-ro go (default /run/jvirt, DIR/run with --root)
 * libvirt_sockets = 1            # serve as the host's libvirt daemon: the sockets are libvirt-sock and
 *                                # libvirt-sock-ro, in /run/libvirt unless unix_sock_dir says otherwise (so that
 *                                # virsh -c qemu:///system and qemu+ssh://HOST/system reach jvirtd)
 * unix_sock_rw_perms = "0700"    # octal
 * unix_sock_ro_perms = "0777"
 * keepalive_interval = 5         # seconds; -1 = never PING (PINGs are always answered)
 * keepalive_count = 5
 * max_clients = 128              # libvirtd allows 5000; jvirtd is one host's daemon
 * max_client_requests = 5
 * host_uuid = "…"                # written into DIR/etc/jvirt.conf before the driver opens
 * migration_port_min = 49152     # likewise (also migration_port_max, migration_address, migration_host)
 * listen_tls = 1                 # 0/1, the qemu+tls listener (off by default; libvirtd's also needs --listen)
 * tls_port = "16514"             # string or number, default 16514 (on listen_addr)
 * key_file, cert_file, ca_file, crl_file  # the server's PEM files; default libvirt's: /etc/pki/CA/cacert.pem,
 *                                # /etc/pki/CA/cacrl.pem, /etc/pki/libvirt/servercert.pem,
 *                                # /etc/pki/libvirt/private/serverkey.pem (~/.pki/libvirt/ first when not root)
 * tls_no_verify_certificate = 0  # 1 = let clients in whose certificate fails the checks
 * tls_no_sanity_certificate = 0  # 1 = skip the start-up check of the server's own certificate and CAs
 * tls_allowed_dn_list = ["C=UK,CN=*"]  # client DN globs; unset = any client with a valid certificate
 * tls_priority = "NORMAL"        # NORMAL with -VERS-TLS1.x tokens; anything else is an error
 * metrics_listen = "127.0.0.1:9177"  # ADDR:PORT ([V6]:PORT) of the Prometheus endpoint GET /metrics; unset = off
 * log_level, log_filters, log_outputs  # libvirtd's logging keys, see {@link io.jvirt.daemon.log.LogSettings}
 * interop_migration_v2_only = 0  # interop/testing only: 1 = pose as a libvirtd without migration v3 (MIGRATION_V3
 *                                # and MIGRATION_PARAMS not announced, the v3 procedures refused), so that sources
 *                                # migrate to this daemon with v2 (Prepare2/PrepareTunnel, Finish2)
 * </pre>
 * Command-line options win over the file. Unknown keys are ignored, as libvirtd ignores keys of other builds.
 */
public final class DaemonConfigLoader {
    /** The keys passed through to the driver root's jvirt.conf. */
    static final List<String> DRIVER_KEYS =
            List.of("host_uuid", "migration_port_min", "migration_port_max", "migration_address", "migration_host");

    private DaemonConfigLoader() {}

    /** Parses arguments; throws {@link VirtException} (INVALID_ARG or CONF_SYNTAX) naming what is wrong. */
    public static DaemonConfig fromArgs(String[] args) {
        Path root = null;
        Path configFile = null;
        String listen = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--root" -> root = Path.of(value(args, ++i, a));
                case "--config" -> configFile = Path.of(value(args, ++i, a));
                case "--listen" -> listen = value(args, ++i, a);
                default ->
                    throw invalid("unknown option '" + a + "'; usage: jvirt daemon [--root DIR]"
                            + " [--config FILE] [--listen tcp://ADDR:PORT]");
            }
        }
        ConfFile conf =
                configFile == null ? ConfFile.load(Path.of("/nonexistent/jvirtd.conf")) : requireFile(configFile);
        DaemonConfig config = fromConf(conf, Optional.ofNullable(root));
        if (listen != null) {
            config = config.withTcp(parseListen(listen));
        }
        return config;
    }

    /** The settings file the arguments name ({@code --config}), or an empty one; the arguments are not checked. */
    public static ConfFile confFile(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--config")) {
                return requireFile(Path.of(args[i + 1]));
            }
        }
        return ConfFile.load(Path.of("/nonexistent/jvirtd.conf"));
    }

    /** {@code metrics_listen = "ADDR:PORT"}: where the Prometheus endpoint listens; empty when unset (off). */
    public static Optional<InetSocketAddress> metricsListen(ConfFile conf) {
        String text = conf.string("metrics_listen", null);
        if (text == null) {
            return Optional.empty();
        }
        int colon = text.lastIndexOf(':');
        String host = colon > 0 ? text.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 0 || port > 65535) {
            throw VirtException.of(
                    ErrorCode.CONF_SYNTAX,
                    ErrorDomain.CONF,
                    "setting 'metrics_listen' must be ADDR:PORT such as \"127.0.0.1:9177\", not '" + text + "'");
        }
        return Optional.of(new InetSocketAddress(host, port));
    }

    /** The config a file describes, for a daemon on {@code root} (default /var/lib/jvirt). */
    public static DaemonConfig fromConf(ConfFile conf, Optional<Path> root) {
        Path dir = root.orElse(DaemonConfig.DEFAULT_ROOT);
        boolean libvirtNames = conf.number("libvirt_sockets", 0) != 0;
        Path socketDir = libvirtNames
                ? DaemonConfig.LIBVIRT_SOCKET_DIR
                : root.map(r -> r.resolve("run")).orElse(DaemonConfig.DEFAULT_SOCKET_DIR);
        if (conf.has("unix_sock_dir")) {
            socketDir = Path.of(conf.string("unix_sock_dir", socketDir.toString()));
        }
        DaemonConfig config = new DaemonConfig(
                dir,
                socketDir.resolve(libvirtNames ? DaemonConfig.LIBVIRT_RW_SOCKET_NAME : DaemonConfig.RW_SOCKET_NAME),
                socketDir.resolve(libvirtNames ? DaemonConfig.LIBVIRT_RO_SOCKET_NAME : DaemonConfig.RO_SOCKET_NAME),
                octal(conf, "unix_sock_rw_perms", 0700),
                octal(conf, "unix_sock_ro_perms", 0777),
                Optional.empty(),
                bounded(conf, "keepalive_interval", 5, -1, Integer.MAX_VALUE),
                bounded(conf, "keepalive_count", 5, 0, Integer.MAX_VALUE),
                bounded(conf, "max_clients", 128, 1, Integer.MAX_VALUE),
                bounded(conf, "max_client_requests", 5, 1, Integer.MAX_VALUE),
                driverSettings(conf));
        if (conf.number("interop_migration_v2_only", 0) != 0) {
            config = config.withMigrationV2Only(true);
        }
        if (conf.number("listen_tcp", 0) != 0) {
            config = config.withTcp(new DaemonConfig.TcpListen(
                    conf.string("listen_addr", "0.0.0.0"), bounded(conf, "tcp_port", 16509, 0, 65535)));
        }
        String authTls = conf.string("auth_tls", "none");
        if (!authTls.equals("none")) {
            // Serving a client libvirtd would ask for a second factor, with its certificate alone, is worse than not
            // starting.
            throw VirtException.of(
                    ErrorCode.CONFIG_UNSUPPORTED,
                    ErrorDomain.NONE,
                    "auth_tls = '" + authTls
                            + "' is not supported: jvirtd has no SASL or polkit; use 'none' (the client"
                            + " certificate and tls_allowed_dn_list decide)");
        }
        if (conf.number("listen_tls", 0) != 0) {
            config = config.withTls(new DaemonConfig.TlsListen(
                    conf.string("listen_addr", "0.0.0.0"),
                    bounded(conf, "tls_port", DaemonConfig.TlsListen.DEFAULT_PORT, 0, 65535),
                    tlsSettings(conf)));
        }
        return config;
    }

    /** The server side of qemu+tls from libvirtd's keys, over libvirt's default files. */
    static TlsContext.Settings tlsSettings(ConfFile conf) {
        PkiFiles defaults = PkiFiles.locate(
                null, PkiFiles.runningAsRoot(), Path.of(System.getProperty("user.home")), TlsRole.SERVER);
        PkiFiles files = new PkiFiles(
                Path.of(conf.string("ca_file", defaults.caCert().toString())),
                Path.of(conf.string("crl_file", defaults.caCrl().toString())),
                Path.of(conf.string("cert_file", defaults.cert().toString())),
                Path.of(conf.string("key_file", defaults.key().toString())));
        return new TlsContext.Settings(
                TlsRole.SERVER,
                files,
                conf.number("tls_no_sanity_certificate", 0) == 0,
                conf.number("tls_no_verify_certificate", 0) == 0,
                conf.has("tls_allowed_dn_list") ? Optional.of(conf.list("tls_allowed_dn_list")) : Optional.empty(),
                TlsPriority.parse(conf.string("tls_priority", TlsPriority.DEFAULT)));
    }

    /** {@code tcp://ADDR:PORT}; an IPv6 address goes in brackets. */
    static DaemonConfig.TcpListen parseListen(String text) {
        if (!text.startsWith("tcp://")) {
            throw invalid("--listen wants tcp://ADDR:PORT, not '" + text + "'");
        }
        String rest = text.substring("tcp://".length());
        int colon = rest.lastIndexOf(':');
        if (colon <= 0) {
            throw invalid("--listen wants tcp://ADDR:PORT, not '" + text + "'");
        }
        String host = rest.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new DaemonConfig.TcpListen(host, Integer.parseInt(rest.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw invalid("--listen port in '" + text + "' is not a port");
        }
    }

    private static Map<String, String> driverSettings(ConfFile conf) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : DRIVER_KEYS) {
            if (conf.has(key)) {
                String v = conf.string(key, "");
                out.put(key, ConfFile.isInteger(v) && key.startsWith("migration_port") ? v : "\"" + v + "\"");
            }
        }
        return out;
    }

    /** A number setting within {@code [min, max]}; anything else (a long too big for an int too) is named. */
    private static int bounded(ConfFile conf, String key, int fallback, int min, int max) {
        long v = conf.number(key, fallback);
        if (v < min || v > max) {
            throw VirtException.of(
                    ErrorCode.CONF_SYNTAX,
                    ErrorDomain.CONF,
                    "setting '" + key + "' must be between " + min + " and " + max + ", not " + v);
        }
        return (int) v;
    }

    private static int octal(ConfFile conf, String key, int fallback) {
        String v = conf.string(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            int mode = Integer.parseInt(v, 8);
            if (mode < 0 || mode > 0777) {
                throw new NumberFormatException();
            }
            return mode;
        } catch (NumberFormatException e) {
            throw VirtException.of(
                    ErrorCode.CONF_SYNTAX,
                    ErrorDomain.CONF,
                    "setting '" + key + "' must be an octal mode such as \"0700\", not '" + v + "'");
        }
    }

    private static ConfFile requireFile(Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw VirtException.of(ErrorCode.OPEN_FAILED, ErrorDomain.CONF, file.toString());
        }
        return ConfFile.load(file);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw invalid(option + " needs a value");
        }
        return args[i];
    }

    private static VirtException invalid(String detail) {
        return VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.NONE, detail);
    }
}
