package io.jvirt.driver.migration;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.migration.MigrationOptions.Side;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.driver.root.MigrationTlsSettings;
import io.jvirt.qmp.Monitor;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * QEMU's own TLS for a migration (VIR_MIGRATE_TLS), as libvirt's QEMU driver sets it up: a {@code tls-creds-x509}
 * object on each side, read from {@code migrate_tls_x509_cert_dir} (a server on the destination that checks the
 * client's certificate when {@code migrate_tls_x509_verify} says so, a client on the source that always checks the
 * server's), named in the {@code tls-creds} migration parameter and, for storage, in the NBD server and client
 * nodes; the object goes again when the migration ends, either way.
 *
 * <p>Stateless; called on the phase's API thread, under the domain's job.
 */
final class MigrationTls {
    private static final Logger LOG = System.getLogger(MigrationTls.class.getName());

    /** libvirt's alias for the migration's credentials object; both sides use the same one. */
    static final String ALIAS = "objlibvirt_migrate_tls0";

    static final String CA_CERT = "ca-cert.pem";
    static final String SERVER_CERT = "server-cert.pem";
    static final String SERVER_KEY = "server-key.pem";
    static final String CLIENT_CERT = "client-cert.pem";
    static final String CLIENT_KEY = "client-key.pem";

    private MigrationTls() {}

    /**
     * The refusals of the Begin and Prepare phases: {@code migrate_tls_force} without TLS (the tunnel is allowed,
     * as libvirt allows it), and TLS inside jvirt's tunnel, whose bytes travel in the daemons' own connection.
     */
    static void checkAllowed(MigrationOptions options, MigrationTlsSettings settings) {
        if (settings.force() && !options.tunnelled() && !options.tls()) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID,
                    ErrorDomain.QEMU,
                    "this libvirtd instance allows migration only with VIR_MIGRATE_TLS flag");
        }
        if (options.tls() && options.tunnelled()) {
            throw VirtException.of(
                    ErrorCode.ARGUMENT_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    "TLS migration is not supported by tunnelled migration");
        }
    }

    /**
     * Before the side's QEMU is touched: the files its credentials object will read are there, refused with the
     * error QEMU's {@code object-add} would give (and libvirt passes on), so nothing has started when it comes.
     * The server needs the CA, its certificate and its key; the client the CA, and its certificate and key only
     * as a pair (a destination that verifies clients then refuses it in the handshake).
     */
    static void checkFiles(MigrationTlsSettings settings, Side side) {
        Path dir = settings.certDir();
        List<String> needed = new ArrayList<>(List.of(CA_CERT));
        if (side == Side.DESTINATION) {
            needed.add(SERVER_CERT);
            needed.add(SERVER_KEY);
        }
        for (String file : needed) {
            Path path = dir.resolve(file);
            String problem = !Files.exists(path)
                    ? "No such file or directory"
                    : !Files.isReadable(path) ? "Permission denied" : null;
            if (problem != null) {
                throw VirtException.of(
                        ErrorCode.INTERNAL_ERROR,
                        ErrorDomain.QEMU,
                        "unable to execute QEMU command 'object-add': Unable to access credentials " + path + ": "
                                + problem);
            }
        }
        if (side == Side.SOURCE) {
            boolean cert = Files.exists(dir.resolve(CLIENT_CERT));
            boolean key = Files.exists(dir.resolve(CLIENT_KEY));
            if (cert != key) {
                String message = cert
                        ? "Cert '" + dir.resolve(CLIENT_CERT) + "' without corresponding key"
                        : "Key '" + dir.resolve(CLIENT_KEY) + "' without corresponding cert";
                throw VirtException.of(
                        ErrorCode.INTERNAL_ERROR,
                        ErrorDomain.QEMU,
                        "unable to execute QEMU command 'object-add': " + message);
            }
        }
    }

    /** The {@code object-add} arguments of the side's credentials object. */
    static Map<String, Object> objectProps(MigrationTlsSettings settings, Side side) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("qom-type", "tls-creds-x509");
        props.put("id", ALIAS);
        props.put("dir", settings.certDir().toString());
        props.put("endpoint", side == Side.DESTINATION ? "server" : "client");
        // The client always checks the server (libvirt's fix for CVE-2017-1000256); the server as configured.
        props.put("verify-peer", side != Side.DESTINATION || settings.verify());
        return props;
    }

    /**
     * Adds the side's credentials object, after removing one an earlier migration may have left behind (both
     * sides use the same alias).
     */
    static void addObject(Monitor monitor, String name, MigrationTlsSettings settings, Side side) {
        removeObject(monitor, name);
        Map<String, Object> props = objectProps(settings, side);
        MonitorCalls.run(name, () -> monitor.execute("object-add", props));
    }

    /** Removes the credentials object; a QEMU that has none, or has ended, is not an error here. */
    static void removeObject(Monitor monitor, String name) {
        try {
            monitor.execute("object-del", Map.of("id", ALIAS));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "domain {0}: TLS object not removed: {1}", name, e.getMessage());
        }
    }

    /**
     * The source's {@code tls-hostname}: {@code tls.destination} when given; else the migration URI's host when
     * jvirt hands QEMU one connection, and nothing for multifd, where QEMU connects by itself and checks the URI's
     * host (as libvirt does).
     */
    static String sourceHostname(MigrationOptions options, String uri) {
        if (options.tlsDestination() != null) {
            return options.tlsDestination();
        }
        if (uri.startsWith("unix:")) {
            throw VirtException.of(
                    ErrorCode.OPERATION_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    "Explicit destination hostname is required for TLS migration over UNIX socket");
        }
        return options.parallel() ? "" : MigrationUris.uriHost(uri);
    }
}
