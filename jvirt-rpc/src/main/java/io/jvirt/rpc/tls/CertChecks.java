package io.jvirt.rpc.tls;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * libvirt's checks of one certificate, each failing with libvirt's message ({@link ErrorCode#SYSTEM_ERROR}): validity
 * dates, basic constraints (a CA must say CA:TRUE, a leaf must not), key usage (a CA signs certificates; a leaf signs
 * and enciphers, ECDSA/X25519/X448 keys need not encipher) and, for a leaf, the extended key usage of its role. A
 * usage that does not fit is an error only when its extension is critical, otherwise a logged warning. A missing
 * extension allows everything. Stateless.
 */
public final class CertChecks {
    private static final System.Logger LOG = System.getLogger(CertChecks.class.getName());

    static final String BASIC_CONSTRAINTS = "2.5.29.19";
    static final String KEY_USAGE = "2.5.29.15";
    static final String EXT_KEY_USAGE = "2.5.29.37";
    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final String ANY_EKU = "2.5.29.37.0";
    /** libvirt reads at most this many CA certificates when it checks its own files. */
    public static final int MAX_CA_CERTS = 16;

    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int KEY_CERT_SIGN = 5;
    /** Key algorithms that must not be used for key encipherment (RFC 8813), so they need not permit it. */
    private static final Set<String> NO_ENCIPHERMENT = Set.of("EC", "X25519", "X448", "XDH");

    private CertChecks() {}

    /**
     * libvirt's start-up check of its own files: the certificate (if readable) and each CA (if readable) pass
     * {@link #check}, then the certificate must verify against the CAs.
     */
    public static void sanity(TlsRole self, Path caFile, Path certFile, Instant now) {
        List<X509Certificate> cert =
                Files.isReadable(certFile) ? Pem.certificates(certFile, 1, self.prefix() + " certificate") : List.of();
        List<X509Certificate> cas =
                Files.isReadable(caFile) ? Pem.certificates(caFile, MAX_CA_CERTS, "CA certificate list") : List.of();
        for (X509Certificate c : cert) {
            check(c, certFile.toString(), self, false, now);
        }
        for (X509Certificate ca : cas) {
            check(ca, caFile.toString(), self, true, now);
        }
        if (!cert.isEmpty() && !cas.isEmpty()) {
            PeerChain.verify(cert, cas, List.of(), now).ifPresent(reason -> {
                throw error("Our own certificate " + certFile + " failed validation against " + caFile + ": " + reason);
            });
        }
    }

    /** Dates, basic constraints, key usage and, for a leaf, the purpose of {@code role}. */
    public static void check(X509Certificate c, String file, TlsRole role, boolean ca, Instant now) {
        times(c, file, role, ca, now);
        basicConstraints(c, file, role, ca);
        keyUsage(c, file, ca);
        if (!ca) {
            keyPurpose(c, file, role);
        }
    }

    /** Not expired, already active; {@code role} only picks the wording for a leaf. */
    public static void times(X509Certificate c, String file, TlsRole role, boolean ca, Instant now) {
        String who = ca ? "CA" : role.prefix();
        if (c.getNotAfter().toInstant().isBefore(now)) {
            throw error("The " + who + " certificate " + file + " has expired");
        }
        if (c.getNotBefore().toInstant().isAfter(now)) {
            throw error("The " + who + " certificate " + file + " is not yet active");
        }
    }

    /** A CA must carry basicConstraints CA:TRUE; a leaf for {@code role} must not say CA. */
    public static void basicConstraints(X509Certificate c, String file, TlsRole role, boolean ca) {
        if (c.getExtensionValue(BASIC_CONSTRAINTS) == null) {
            if (ca) {
                throw error("The certificate " + file + " is missing basic constraints for a CA");
            }
            return;
        }
        boolean saysCa = c.getBasicConstraints() >= 0;
        if (saysCa && !ca) {
            throw error(
                    "The certificate " + file + " basic constraints show a CA, but we need one for a " + role.prefix());
        }
        if (!saysCa && ca) {
            throw error("The certificate " + file + " basic constraints do not show a CA");
        }
    }

    /** keyCertSign for a CA; digitalSignature and (but for ECDSA-like keys) keyEncipherment for a leaf. */
    public static void keyUsage(X509Certificate c, String file, boolean ca) {
        boolean[] usage = c.getKeyUsage();
        if (usage == null) {
            return; // no extension: every usage allowed
        }
        boolean critical = isCritical(c, KEY_USAGE);
        if (ca) {
            if (!bit(usage, KEY_CERT_SIGN)) {
                violated(critical, "Certificate " + file + " usage does not permit certificate signing");
            }
            return;
        }
        if (!bit(usage, DIGITAL_SIGNATURE)) {
            violated(critical, "Certificate " + file + " usage does not permit digital signature");
        }
        if (!bit(usage, KEY_ENCIPHERMENT)
                && !NO_ENCIPHERMENT.contains(c.getPublicKey().getAlgorithm())) {
            violated(critical, "Certificate " + file + " usage does not permit key encipherment");
        }
    }

    /**
     * The extended key usage must allow {@code role}: serverAuth for a server, clientAuth for a client. As in
     * libvirt, any other purpose allows both roles, anyExtendedKeyUsage alone allows neither, and the error needs
     * one of the purposes to be critical.
     */
    public static void keyPurpose(X509Certificate c, String file, TlsRole role) {
        List<String> purposes;
        try {
            purposes = c.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw error("Unable to query certificate " + file + " key purpose " + e.getMessage());
        }
        if (purposes == null || purposes.isEmpty()) {
            return;
        }
        boolean server = false;
        boolean client = false;
        for (String p : purposes) {
            switch (p) {
                case SERVER_AUTH -> server = true;
                case CLIENT_AUTH -> client = true;
                case ANY_EKU -> {}
                default -> {
                    server = true;
                    client = true;
                }
            }
        }
        if (!(role == TlsRole.SERVER ? server : client)) {
            violated(
                    isCritical(c, EXT_KEY_USAGE),
                    "Certificate " + file + " purpose does not allow use for with a TLS " + role.prefix());
        }
    }

    static VirtException error(String message) {
        return VirtException.of(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, message);
    }

    private static void violated(boolean critical, String message) {
        if (critical) {
            throw error(message);
        }
        LOG.log(System.Logger.Level.WARNING, message);
    }

    private static boolean isCritical(X509Certificate c, String oid) {
        Set<String> critical = c.getCriticalExtensionOIDs();
        return critical != null && critical.contains(oid);
    }

    private static boolean bit(boolean[] usage, int i) {
        return i < usage.length && usage[i];
    }
}
