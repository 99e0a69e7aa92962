package io.jvirt.driver.migration.cookie;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * Reads the subject of the SPICE server certificate ({@code server-cert.pem} in the SPICE x509 directory),
 * which the destination puts in its cookie's {@code <graphics><cert info='subject'/>} so the source can tell
 * the SPICE client which certificate to expect from the new host ({@code client_migrate_info}'s
 * {@code cert-subject}).
 *
 * <p>libvirt prints the subject with GnuTLS's {@code gnutls_x509_crt_get_dn}, which since GnuTLS 3.5.7 writes
 * RFC 4514 form: relative names from the last in the certificate to the first (so {@code -subj
 * "/C=CZ/O=Org/CN=host"} reads {@code "CN=host,O=Org,C=CZ"}), comma-separated without spaces, with RFC 4514
 * escaping. Java's {@link X500Principal#RFC2253} form is the same order and escaping; the differences are
 * attribute names, so the OIDs GnuTLS names and Java does not (or names differently) are mapped to GnuTLS's
 * short names ({@code EMAIL}, {@code street}, {@code serialNumber}, ...). GnuTLS prints an attribute it has no
 * name for as its dotted OID with a {@code #}-hex value, as Java does. Not checked against a running GnuTLS
 * (none on the build host): a subject using unusual attributes may differ in spelling. Stateless; any thread
 * (blocking file read).
 */
public final class GraphicsCertificate {
    /** The certificate file libvirt reads in the SPICE TLS directory. */
    public static final String FILE_NAME = "server-cert.pem";
    /** Far above a PEM certificate's size; bounds what a stray file can make us read. */
    static final int MAX_BYTES = 65536;

    /** OID → GnuTLS's attribute name, where Java's RFC 2253 form would print something else. */
    private static final Map<String, String> GNUTLS_NAMES = Map.ofEntries(
            Map.entry("1.2.840.113549.1.9.1", "EMAIL"),
            Map.entry("2.5.4.9", "street"),
            Map.entry("2.5.4.5", "serialNumber"),
            Map.entry("2.5.4.12", "title"),
            Map.entry("2.5.4.4", "surName"),
            Map.entry("2.5.4.42", "givenName"),
            Map.entry("2.5.4.43", "initials"),
            Map.entry("2.5.4.44", "generationQualifier"),
            Map.entry("2.5.4.46", "dnQualifier"),
            Map.entry("2.5.4.65", "pseudonym"),
            Map.entry("2.5.4.17", "postalCode"),
            Map.entry("2.5.4.41", "name"));

    private GraphicsCertificate() {}

    /**
     * The subject of {@code x509Dir/server-cert.pem}, or null when there is no such file.
     *
     * @throws VirtException SYSTEM_ERROR when the file cannot be read; OPERATION_FAILED when it is too large or
     *                       holds no X.509 certificate
     */
    public static String subject(Path x509Dir) {
        Path file = x509Dir.resolve(FILE_NAME);
        byte[] pem;
        try (InputStream in = Files.newInputStream(file)) {
            pem = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR,
                    ErrorDomain.QEMU,
                    "cannot read SPICE server certificate '" + file + "': " + e.getMessage(),
                    e);
        }
        if (pem.length > MAX_BYTES) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.QEMU,
                    "SPICE server certificate '" + file + "' is larger than " + MAX_BYTES + " bytes");
        }
        return subjectOf(parse(file, pem));
    }

    /** {@code cert}'s subject in GnuTLS's RFC 4514 form. */
    public static String subjectOf(X509Certificate cert) {
        return cert.getSubjectX500Principal().getName(X500Principal.RFC2253, GNUTLS_NAMES);
    }

    private static X509Certificate parse(Path file, byte[] pem) {
        try {
            Certificate cert =
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
            if (cert instanceof X509Certificate x509) {
                return x509;
            }
            throw new CertificateException("not an X.509 certificate");
        } catch (CertificateException e) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.QEMU,
                    "cannot load SPICE server certificate '" + file + "': " + e.getMessage(),
                    e);
        }
    }
}
