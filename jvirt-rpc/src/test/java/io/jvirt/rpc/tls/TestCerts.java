package io.jvirt.rpc.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test certificates made at run time, as libvirt's {@code virnettlshelpers.c} makes them: every certificate shares
 * one RSA key (as libvirt's tests share one key file), and each request says which extensions it carries, whether
 * they are critical, and its validity relative to now.
 */
final class TestCerts {
    static final KeyPair KEY = newKey();
    private static final AtomicLong SERIAL = new AtomicLong(1);

    /** One certificate to make; built with {@link #ca}/{@link #leaf} and the {@code with*} methods. */
    record Req(
            String country,
            String cn,
            List<String> dnsNames,
            List<String> ips,
            Boolean basicCa,
            boolean basicCritical,
            Integer keyUsage,
            boolean keyUsageCritical,
            List<KeyPurposeId> purposes,
            boolean purposesCritical,
            Duration start,
            Duration end) {

        Req withAltNames(List<String> dns, List<String> ip) {
            return new Req(
                    country,
                    cn,
                    dns,
                    ip,
                    basicCa,
                    basicCritical,
                    keyUsage,
                    keyUsageCritical,
                    purposes,
                    purposesCritical,
                    start,
                    end);
        }

        Req withBasic(Boolean ca, boolean critical) {
            return new Req(
                    country,
                    cn,
                    dnsNames,
                    ips,
                    ca,
                    critical,
                    keyUsage,
                    keyUsageCritical,
                    purposes,
                    purposesCritical,
                    start,
                    end);
        }

        Req withKeyUsage(Integer bits, boolean critical) {
            return new Req(
                    country,
                    cn,
                    dnsNames,
                    ips,
                    basicCa,
                    basicCritical,
                    bits,
                    critical,
                    purposes,
                    purposesCritical,
                    start,
                    end);
        }

        Req withPurposes(List<KeyPurposeId> p, boolean critical) {
            return new Req(
                    country,
                    cn,
                    dnsNames,
                    ips,
                    basicCa,
                    basicCritical,
                    keyUsage,
                    keyUsageCritical,
                    p,
                    critical,
                    start,
                    end);
        }

        /** Valid from now+start to now+end. */
        Req withValidity(Duration s, Duration e) {
            return new Req(
                    country,
                    cn,
                    dnsNames,
                    ips,
                    basicCa,
                    basicCritical,
                    keyUsage,
                    keyUsageCritical,
                    purposes,
                    purposesCritical,
                    s,
                    e);
        }
    }

    private TestCerts() {}

    /** A perfect CA: CA:TRUE and keyCertSign, both critical. */
    static Req ca(String cn) {
        return new Req(
                "UK",
                cn,
                List.of(),
                List.of(),
                true,
                true,
                KeyUsage.keyCertSign,
                true,
                List.of(),
                false,
                Duration.ZERO,
                Duration.ofDays(1));
    }

    /** A perfect server certificate. */
    static Req server(String cn) {
        return leaf(cn, KeyPurposeId.id_kp_serverAuth);
    }

    /** A perfect client certificate. */
    static Req client(String cn) {
        return leaf(cn, KeyPurposeId.id_kp_clientAuth);
    }

    private static Req leaf(String cn, KeyPurposeId purpose) {
        return new Req(
                "UK",
                cn,
                List.of(),
                List.of(),
                false,
                true,
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
                true,
                List.of(purpose),
                true,
                Duration.ZERO,
                Duration.ofDays(1));
    }

    /** Makes {@code req}, signed by {@code issuer} (null: self-signed). */
    static X509Certificate make(Req req, X509Certificate issuer) {
        return make(req, issuer, "SHA256withRSA", null);
    }

    /**
     * As {@link #make(Req, X509Certificate)}, signed with {@code signatureAlgorithm} (a JCA name such as
     * {@code MD5withRSA}); a CA's basic constraints carry {@code pathLen} unless it is null.
     */
    static X509Certificate make(Req req, X509Certificate issuer, String signatureAlgorithm, Integer pathLen) {
        try {
            X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
            name.addRDN(BCStyle.C, req.country());
            name.addRDN(BCStyle.CN, req.cn());
            X500Name subject = name.build();
            X500Name issuerName = issuer == null ? subject : new JcaX509CertificateHolder(issuer).getSubject();
            Instant now = Instant.now();
            // Whole seconds back from "now" so that a certificate made now is already valid.
            Instant from = now.plus(req.start()).minusSeconds(60);
            Instant to = now.plus(req.end());
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    issuerName,
                    BigInteger.valueOf(SERIAL.getAndIncrement()),
                    Date.from(from),
                    Date.from(to),
                    subject,
                    KEY.getPublic());
            if (req.basicCa() != null) {
                b.addExtension(
                        Extension.basicConstraints,
                        req.basicCritical(),
                        pathLen != null && req.basicCa()
                                ? new BasicConstraints(pathLen)
                                : new BasicConstraints(req.basicCa()));
            }
            if (req.keyUsage() != null) {
                b.addExtension(Extension.keyUsage, req.keyUsageCritical(), new KeyUsage(req.keyUsage()));
            }
            if (!req.purposes().isEmpty()) {
                b.addExtension(
                        Extension.extendedKeyUsage,
                        req.purposesCritical(),
                        new ExtendedKeyUsage(req.purposes().toArray(KeyPurposeId[]::new)));
            }
            List<GeneralName> alt = new ArrayList<>();
            req.dnsNames().forEach(d -> alt.add(new GeneralName(GeneralName.dNSName, d)));
            req.ips().forEach(i -> alt.add(new GeneralName(GeneralName.iPAddress, i)));
            if (!alt.isEmpty()) {
                b.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(alt.toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(signatureAlgorithm).build(KEY.getPrivate())));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CRL by {@code ca} revoking {@code revoked}. */
    static X509CRL crl(X509Certificate ca, X509Certificate... revoked) {
        try {
            Date now = Date.from(Instant.now());
            X509v2CRLBuilder b = new X509v2CRLBuilder(new JcaX509CertificateHolder(ca).getSubject(), now);
            b.setNextUpdate(Date.from(Instant.now().plus(Duration.ofDays(1))));
            for (X509Certificate r : revoked) {
                b.addCRLEntry(r.getSerialNumber(), now, CRLReason.keyCompromise);
            }
            return new JcaX509CRLConverter().getCRL(b.build(signer()));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A purpose that is neither serverAuth nor clientAuth (libvirt's tests use codeSigning). */
    static KeyPurposeId other() {
        return KeyPurposeId.getInstance(new ASN1ObjectIdentifier("1.3.6.1.5.5.7.3.3"));
    }

    /** Writes objects (certificates, CRLs, keys) as PEM into {@code file}; returns it. */
    static Path write(Path file, Object... objects) {
        try {
            StringWriter text = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(text)) {
                for (Object o : objects) {
                    w.writeObject(o);
                }
            }
            Files.writeString(file, text.toString());
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContentSigner signer() throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withRSA").build(KEY.getPrivate());
    }

    private static KeyPair newKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
