package io.jvirt.daemon;

import io.jvirt.rpc.tls.PkiFiles;
import io.jvirt.rpc.tls.TlsContext;
import io.jvirt.rpc.tls.TlsPriority;
import io.jvirt.rpc.tls.TlsRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * The certificates of the TLS ITs, made by {@link CertTool} under {@code dir}: CA "ca", a server certificate for
 * 127.0.0.1 (by IP address only, so "localhost" is another host), clients with the London DN the daemon's list
 * admits ({@code C=GB,ST=London,L=London,O=Test,CN=client*}), one with another DN, one revoked (in the CA's CRL),
 * one expired and one of another CA ("rogue").
 */
final class TestPki {
    /** What a client says when the server closes instead of confirming, as libvirtd does on a refused certificate. */
    static final String NO_CONFIRMATION = "Unable to read TLS confirmation: Input/output error";

    /** The DN glob the daemon's {@code tls_allowed_dn_list} holds. */
    static final String ALLOWED_DN = "C=GB,ST=London,L=London,O=Test,CN=client*";

    private static final String CLIENT_DN = "country = GB\nstate = London\nlocality = London\norganization = Test\n";
    private static final String CLIENT_USAGE = "tls_www_client\nencryption_key\nsigning_key\n";

    private final Path dir;
    private final CertTool certs;

    private TestPki(Path dir) throws IOException {
        this.dir = dir;
        this.certs = new CertTool(dir.resolve("made"));
    }

    /** Makes every certificate (a few seconds of certtool). */
    static TestPki make(Path dir) throws Exception {
        TestPki p = new TestPki(dir);
        CertTool c = p.certs;
        c.ca("ca", "jvirt Test CA");
        c.ca("rogue", "Rogue CA");
        c.signed(
                "server",
                "ca",
                "organization = Test\ncn = jvirt-test-server\nip_address = 127.0.0.1\n"
                        + "tls_www_server\nencryption_key\nsigning_key\n");
        c.signed("client1", "ca", CLIENT_DN + "cn = client1\n" + CLIENT_USAGE);
        c.signed("other", "ca", "country = GB\norganization = Elsewhere\ncn = client1\n" + CLIENT_USAGE);
        c.signed("revoked", "ca", CLIENT_DN + "cn = client-revoked\n" + CLIENT_USAGE);
        c.signed("stranger", "rogue", CLIENT_DN + "cn = client-stranger\n" + CLIENT_USAGE);
        c.signed(
                "expired",
                "ca",
                CLIENT_DN + "cn = client-expired\n" + CLIENT_USAGE
                        + "activation_date = \"2020-01-01 00:00:00 UTC\"\n"
                        + "expiration_date = \"2020-02-01 00:00:00 UTC\"\n");
        c.crl("crl", "ca", "revoked");
        return p;
    }

    /** A server's settings: its files in a directory of their own, the DN list {@link #ALLOWED_DN}. */
    private TlsContext.Settings serverSettings(String priority) throws IOException {
        Path server = Files.createDirectories(dir.resolve("server"));
        copy(certs.cert("ca"), server.resolve("cacert.pem"));
        copy(certs.cert("crl"), server.resolve("cacrl.pem"));
        copy(certs.cert("server"), server.resolve("servercert.pem"));
        copy(certs.key("server"), server.resolve("serverkey.pem"));
        return new TlsContext.Settings(
                TlsRole.SERVER,
                PkiFiles.in(server, TlsRole.SERVER),
                true,
                true,
                Optional.of(List.of(ALLOWED_DN)),
                TlsPriority.parse(priority));
    }

    /**
     * Starts jvirtd {@code label} of {@code hosts} with a TLS listener on 127.0.0.1 (a free port) using
     * {@link #serverSettings}; returns its TLS port.
     */
    int startTlsHost(TwoDaemons hosts, String label) throws IOException {
        return startTlsHost(hosts, label, TlsPriority.DEFAULT);
    }

    /** As {@link #startTlsHost(TwoDaemons, String)} with {@code tls_priority} {@code priority}. */
    int startTlsHost(TwoDaemons hosts, String label, String priority) throws IOException {
        TlsContext.Settings tls = serverSettings(priority);
        VirshHost host = hosts.startInJvm(
                label, root -> TwoDaemons.config(root).withTls(new DaemonConfig.TlsListen("127.0.0.1", 0, tls)));
        return hosts.daemon(host).tlsAddress().orElseThrow().getPort();
    }

    /** A {@code pkipath} directory: the CA, and the certificate and key of {@code client} (none if null). */
    Path clientDir(String client) throws IOException {
        Path d = Files.createDirectories(dir.resolve("client-" + (client == null ? "none" : client)));
        copy(certs.cert("ca"), d.resolve("cacert.pem"));
        if (client != null) {
            copy(certs.cert(client), d.resolve("clientcert.pem"));
            copy(certs.key(client), d.resolve("clientkey.pem"));
        }
        return d;
    }

    /** {@code qemu+tls://HOST:PORT/system?pkipath=…} for {@code client}, {@code extra} appended ({@code &…}). */
    String uri(String host, int port, String client, String extra) throws IOException {
        return "qemu+tls://" + host + ":" + port + "/system?pkipath=" + clientDir(client) + extra;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
}
