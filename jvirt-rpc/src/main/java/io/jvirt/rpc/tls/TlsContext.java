package io.jvirt.rpc.tls;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * One side's TLS setup as libvirt's {@code virNetTLSContext}: its files checked at creation (unless told not to) and
 * loaded, a JSSE context presenting this side's certificate, and {@link #checkPeer}, the check of the other side's
 * certificate after the handshake. Immutable and thread-safe once made; one per daemon listener or client connection.
 */
public final class TlsContext {
    private static final System.Logger LOG = System.getLogger(TlsContext.class.getName());
    /** How peer certificates are named in libvirt's session messages. */
    static final String SESSION = "[session]";
    /** The CA files libvirt's trust loading takes (far more than anyone uses; bounds a hostile file). */
    private static final int MAX_TRUSTED = 256;

    static {
        // libvirt's servers send no TLS 1.3 session tickets (GnuTLS sends none without a ticket key), and libvirt's
        // client relies on it: it waits for the socket to be readable, then reads the confirmation byte once; a
        // ticket arriving alone makes that read fail with "Resource temporarily unavailable". JSSE reads this
        // setting once, when its TLS configuration is first used: before any context is made here. With no TLS 1.3
        // tickets JSSE would still promise a TLS 1.2 ticket it never sends (GnuTLS then fails the handshake with
        // "An unexpected TLS packet was received"), so the TLS 1.2 ticket extension goes too.
        setUnlessSet("jdk.tls.server.newSessionTicketCount", "0");
        setUnlessSet("jdk.tls.server.enableSessionTicketExtension", "false");
    }

    private final Settings settings;
    private final List<X509Certificate> cas;
    private final List<X509CRL> crls;
    private final SSLContext ssl;
    private final Clock clock;

    /**
     * What a context is made from.
     *
     * @param role             which side this is
     * @param files            where its files are
     * @param sanityCheck      check this side's own certificate and CAs at creation ({@code tls_no_sanity_certificate},
     *                         URI {@code no_sanity})
     * @param requireValidPeer refuse a peer whose certificate fails the checks ({@code tls_no_verify_certificate},
     *                         URI {@code no_verify})
     * @param allowedDns       the server's {@code tls_allowed_dn_list}: empty when unset (no DN check); an empty list
     *                         admits nobody
     * @param priority         the TLS versions allowed
     */
    public record Settings(
            TlsRole role,
            PkiFiles files,
            boolean sanityCheck,
            boolean requireValidPeer,
            Optional<List<String>> allowedDns,
            TlsPriority priority) {
        public Settings {
            allowedDns = allowedDns.map(List::copyOf);
        }
    }

    private TlsContext(Settings settings, List<X509Certificate> cas, List<X509CRL> crls, SSLContext ssl, Clock clock) {
        this.settings = settings;
        this.cas = cas;
        this.crls = crls;
        this.ssl = ssl;
        this.clock = clock;
    }

    private static void setUnlessSet(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** Checks and loads the files; throws libvirt's error for a missing or unusable one. */
    public static TlsContext create(Settings s) {
        return create(s, Clock.systemUTC());
    }

    static TlsContext create(Settings s, Clock clock) {
        PkiFiles f = s.files();
        if (s.sanityCheck()) {
            CertChecks.sanity(s.role(), f.caCert(), f.cert(), clock.instant());
        }
        requireFile("CA certificate", f.caCert());
        List<X509Certificate> cas = Pem.certificates(f.caCert(), MAX_TRUSTED, "CA certificate list");
        List<X509CRL> crls = Files.exists(f.caCrl()) ? Pem.crls(f.caCrl()) : List.of();
        KeyManager[] keys = null;
        boolean haveCert = Files.exists(f.cert()) && Files.exists(f.key());
        if (s.role() == TlsRole.SERVER || haveCert) {
            requireFile("certificate", f.cert());
            requireFile("private key", f.key());
            List<X509Certificate> chain =
                    Pem.certificates(f.cert(), MAX_TRUSTED, s.role().prefix() + " certificate");
            PrivateKey key = Pem.privateKey(f.key());
            keys = new KeyManager[] {new SingleKeyManager(key, chain)};
        }
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(keys, new TrustManager[] {new AfterHandshakeTrust()}, null);
            return new TlsContext(s, cas, crls, ssl, clock);
        } catch (GeneralSecurityException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, "Unable to allocate x509 credentials: " + e, e);
        }
    }

    public TlsRole role() {
        return settings.role();
    }

    /**
     * A TLS socket over {@code raw} (already connected), set up for this side; the handshake has not run yet. For a
     * client {@code host} is the name the server certificate must carry (and goes out as SNI when it is a name).
     */
    public SSLSocket wrap(Socket raw, String host) throws IOException {
        SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket(raw, host, raw.getPort(), true);
        s.setUseClientMode(settings.role() == TlsRole.CLIENT);
        if (settings.role() == TlsRole.SERVER) {
            s.setWantClientAuth(true); // GnuTLS's CERT_REQUEST: asked for, checked after the handshake
        }
        s.setEnabledProtocols(settings.priority().protocols().toArray(String[]::new));
        return s;
    }

    /**
     * libvirt's check of the peer once the handshake is done: the chain against the CAs and CRL, then the leaf
     * (dates, the DN list on a server, {@code hostname} on a client, constraints, usages, purpose), then the dates
     * of the rest. A failure is logged with libvirt's reason and, unless verification is off, refused with
     * "Failed to verify peer's certificate" (AUTH_FAILED), the reason as its cause.
     *
     * @param hostname the host the client asked for; null on a server
     * @return the peer's DN, or empty when it sent no certificate and verification is off
     */
    public Optional<String> checkPeer(SSLSession session, String hostname) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) {
                chain.add((X509Certificate) c);
            }
        } catch (SSLPeerUnverifiedException e) {
            // no certificate: validate says so in libvirt's words
        }
        return checkPeerChain(chain, hostname);
    }

    /** {@link #checkPeer} on the peer's chain (leaf first; empty when it sent none). */
    Optional<String> checkPeerChain(List<X509Certificate> chain, String hostname) {
        try {
            return Optional.of(validate(chain, hostname));
        } catch (VirtException e) {
            LOG.log(System.Logger.Level.WARNING, "Certificate check failed " + e.getMessage());
            if (settings.requireValidPeer()) {
                throw VirtException.of(
                        ErrorCode.AUTH_FAILED, ErrorDomain.RPC, "Failed to verify peer's certificate", e);
            }
            LOG.log(System.Logger.Level.INFO, "Ignoring bad certificate at user request");
            return Optional.empty();
        }
    }

    /** {@link #checkPeer}'s checks on a chain (leaf first); returns the leaf's DN. */
    String validate(List<X509Certificate> chain, String hostname) {
        if (chain.isEmpty()) {
            throw CertChecks.error("Unable to verify TLS peer: No certificate was found.");
        }
        var now = clock.instant();
        PeerChain.verify(chain, cas, crls, now).ifPresent(reason -> {
            throw CertChecks.error("Certificate failed validation: " + reason);
        });
        X509Certificate leaf = chain.getFirst();
        TlsRole self = settings.role();
        CertChecks.times(leaf, SESSION, self, false, now);
        String dn = DnPattern.of(leaf);
        if (self == TlsRole.SERVER
                && settings.allowedDns().isPresent()
                && !DnPattern.anyMatches(settings.allowedDns().get(), dn)) {
            LOG.log(System.Logger.Level.DEBUG, "Failed ACL check for client DN ''{0}''", dn);
            throw CertChecks.error("Client's Distinguished Name is not on the list of allowed clients"
                    + " (tls_allowed_dn_list).  Use 'virt-pki-query-dn clientcert.pem' to view the Distinguished"
                    + " Name field in the client certificate, or run this daemon with --verbose option.");
        }
        if (hostname != null && !HostnameMatch.matches(leaf, hostname)) {
            throw VirtException.of(
                    ErrorCode.RPC,
                    ErrorDomain.RPC,
                    "Certificate " + SESSION + " owner does not match the hostname " + hostname);
        }
        CertChecks.basicConstraints(leaf, SESSION, self.peer(), false);
        CertChecks.keyUsage(leaf, SESSION, false);
        CertChecks.keyPurpose(leaf, SESSION, self.peer());
        for (X509Certificate ca : chain.subList(1, chain.size())) {
            CertChecks.times(ca, SESSION, self, true, now);
        }
        return dn;
    }

    private static void requireFile(String what, Path file) {
        if (!Files.exists(file)) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR,
                    ErrorDomain.RPC,
                    "Cannot read " + what + " '" + file + "': No such file or directory");
        }
    }
}
