package io.jvirt.rpc.tls;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads libvirt's PEM files with BouncyCastle: certificates (a CA file may hold several), CRLs, and private keys in
 * PKCS#1 ({@code RSA PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}) or PKCS#8 ({@code PRIVATE KEY}). Files are read
 * whole, at most 64 KiB as libvirt reads them; anything else in a file is skipped. Stateless.
 */
public final class Pem {
    /** libvirt reads certificate files up to this size. */
    static final int MAX_FILE_BYTES = 1 << 16;

    private Pem() {}

    /** Every certificate in {@code file}, in file order (at most {@code max}); none is an error. */
    public static List<X509Certificate> certificates(Path file, int max, String what) {
        List<X509Certificate> out = new ArrayList<>();
        try (PEMParser p = new PEMParser(new StringReader(read(file)))) {
            JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
            for (Object o = p.readObject(); o != null && out.size() < max; o = p.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    out.add(conv.getCertificate(h));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw unable(what, file, e);
        }
        if (out.isEmpty()) {
            throw unable(what, file, null);
        }
        return List.copyOf(out);
    }

    /** Every CRL in {@code file}. */
    public static List<X509CRL> crls(Path file) {
        List<X509CRL> out = new ArrayList<>();
        try (PEMParser p = new PEMParser(new StringReader(read(file)))) {
            JcaX509CRLConverter conv = new JcaX509CRLConverter();
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof X509CRLHolder h) {
                    out.add(conv.getCRL(h));
                }
            }
        } catch (IOException | CRLException | RuntimeException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR,
                    ErrorDomain.RPC,
                    "Unable to set x509 certificate revocation list: " + file + ": " + e.getMessage(),
                    e);
        }
        return List.copyOf(out);
    }

    /** The first private key in {@code file}. */
    public static PrivateKey privateKey(Path file) {
        try (PEMParser p = new PEMParser(new StringReader(read(file)))) {
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return conv.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return conv.getPrivateKey(info);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw noKey(file, e);
        }
        throw noKey(file, null);
    }

    private static String read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException("file is larger than " + MAX_FILE_BYTES + " bytes");
        }
        return Files.readString(file);
    }

    private static VirtException unable(String what, Path file, Exception cause) {
        return VirtException.of(
                ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, "Unable to import " + what + " " + file, cause);
    }

    private static VirtException noKey(Path file, Exception cause) {
        return VirtException.of(
                ErrorCode.SYSTEM_ERROR,
                ErrorDomain.RPC,
                "Unable to set x509 key and certificate: " + file + ": no private key in the file"
                        + (cause == null ? "" : " (" + cause.getMessage() + ")"),
                cause);
    }
}
