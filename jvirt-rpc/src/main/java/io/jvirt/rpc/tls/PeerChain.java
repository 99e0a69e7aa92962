package io.jvirt.rpc.tls;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Verifies a certificate chain against trusted CAs and their CRLs as GnuTLS's peer verification does, and names the
 * failure as libvirt does: each certificate's issuer must be a later certificate of the chain or a trusted CA, by
 * name and signature; every issuer must be a CA; every certificate on the path (the trusted one too) must be within
 * its dates; none may be on a CRL its issuer signed. Stateless.
 */
public final class PeerChain {
    /** libvirt's reasons, most significant last as it picks them. */
    public static final String NOT_TRUSTED = "The certificate is not trusted.";

    public static final String UNKNOWN_ISSUER = "The certificate hasn't got a known issuer.";
    public static final String REVOKED = "The certificate has been revoked.";
    /** Longer chains are not followed (GnuTLS stops at 16 too). */
    private static final int MAX_DEPTH = 16;

    private PeerChain() {}

    /** Empty when {@code chain} (leaf first) verifies; else libvirt's reason. */
    public static Optional<String> verify(
            List<X509Certificate> chain, List<X509Certificate> cas, List<X509CRL> crls, Instant now) {
        boolean invalid = false;
        boolean revoked = false;
        X509Certificate cert = chain.getFirst();
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            invalid |= !within(cert, now);
            if (cas.contains(cert)) {
                return reason(invalid, false, revoked);
            }
            X509Certificate trusted = issuerAmong(cert, cas);
            X509Certificate issuer = trusted != null ? trusted : issuerAmong(cert, chain.subList(1, chain.size()));
            if (issuer == null) {
                return reason(true, true, revoked);
            }
            invalid |= issuer.getBasicConstraints() < 0;
            revoked |= revokedBy(cert, issuer, crls);
            if (trusted != null) {
                invalid |= !within(trusted, now);
                return reason(invalid, false, revoked);
            }
            cert = issuer;
        }
        return reason(true, true, revoked);
    }

    private static Optional<String> reason(boolean invalid, boolean unknownIssuer, boolean revoked) {
        if (revoked) {
            return Optional.of(REVOKED);
        }
        if (unknownIssuer) {
            return Optional.of(UNKNOWN_ISSUER);
        }
        return invalid ? Optional.of(NOT_TRUSTED) : Optional.empty();
    }

    private static X509Certificate issuerAmong(X509Certificate cert, List<X509Certificate> candidates) {
        for (X509Certificate c : candidates) {
            if (c.getSubjectX500Principal().equals(cert.getIssuerX500Principal()) && signs(c.getPublicKey(), cert)) {
                return c;
            }
        }
        return null;
    }

    private static boolean signs(PublicKey key, X509Certificate cert) {
        try {
            cert.verify(key);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean revokedBy(X509Certificate cert, X509Certificate issuer, List<X509CRL> crls) {
        for (X509CRL crl : crls) {
            if (crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal()) && crlSignedBy(crl, issuer)) {
                if (crl.isRevoked(cert)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean crlSignedBy(X509CRL crl, X509Certificate issuer) {
        try {
            crl.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean within(X509Certificate c, Instant now) {
        return !c.getNotAfter().toInstant().isBefore(now)
                && !c.getNotBefore().toInstant().isAfter(now);
    }
}
