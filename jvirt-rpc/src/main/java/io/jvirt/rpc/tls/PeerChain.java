package io.jvirt.rpc.tls;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies a certificate chain against trusted CAs and their CRLs as GnuTLS's peer verification does, and names the
 * failure as libvirt does: each certificate's issuer must be a later certificate of the chain or a trusted CA, by
 * name and signature; every issuer must be a CA with no more CAs under it than its path length constraint allows, and
 * an intermediate one allowed to sign certificates when it has a key usage extension; every certificate on the path (the trusted one
 * too) must be within its dates; none may be on a CRL its issuer signed; and no signature checked may use MD2 or MD5,
 * which GnuTLS refuses as insecure whatever the priority string says. Stateless.
 */
public final class PeerChain {
    /** libvirt's reasons, most significant last as it picks them. */
    public static final String NOT_TRUSTED = "The certificate is not trusted.";

    public static final String UNKNOWN_ISSUER = "The certificate hasn't got a known issuer.";
    public static final String REVOKED = "The certificate has been revoked.";
    public static final String INSECURE = "The certificate uses an insecure algorithm";
    /** Signature algorithms GnuTLS never accepts in a chain (its INSECURE_ALGORITHM status). */
    private static final Set<String> BROKEN_DIGESTS = Set.of("MD2", "MD5");

    private static final int KEY_CERT_SIGN = 5;
    /** Longer chains are not followed (GnuTLS stops at 16 too). */
    private static final int MAX_DEPTH = 16;

    private PeerChain() {}

    /** Empty when {@code chain} (leaf first) verifies; else libvirt's reason. */
    public static Optional<String> verify(
            List<X509Certificate> chain, List<X509Certificate> cas, List<X509CRL> crls, Instant now) {
        boolean invalid = false;
        boolean revoked = false;
        boolean insecure = false;
        X509Certificate cert = chain.getFirst();
        // depth counts the CA certificates already passed between the leaf and the issuer now looked at
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            invalid |= !within(cert, now);
            if (cas.contains(cert)) {
                return reason(invalid, false, revoked, insecure);
            }
            X509Certificate trusted = issuerAmong(cert, cas);
            X509Certificate issuer = trusted != null ? trusted : issuerAmong(cert, chain.subList(1, chain.size()));
            if (issuer == null) {
                return reason(true, true, revoked, insecure);
            }
            insecure |= brokenSignature(cert);
            invalid |= !mayIssue(issuer, depth, trusted == null);
            revoked |= revokedBy(cert, issuer, crls);
            if (trusted != null) {
                invalid |= !within(trusted, now);
                return reason(invalid, false, revoked, insecure);
            }
            cert = issuer;
        }
        return reason(true, true, revoked, insecure);
    }

    /**
     * A CA (basic constraints) with at most its path length of CA certificates under it ({@code
     * getBasicConstraints} is that length, or -1 for no CA); an intermediate must also be allowed to sign
     * certificates if it says what its key is for. A trusted CA's key usage is its owner's business: libvirt only
     * warns about a non-critical one that leaves out certificate signing, and such a CA's chains still verify.
     */
    private static boolean mayIssue(X509Certificate issuer, int casBelow, boolean intermediate) {
        boolean[] usage = issuer.getKeyUsage();
        boolean signs = usage == null || (usage.length > KEY_CERT_SIGN && usage[KEY_CERT_SIGN]);
        return issuer.getBasicConstraints() >= casBelow && (signs || !intermediate);
    }

    private static boolean brokenSignature(X509Certificate cert) {
        String alg = cert.getSigAlgName().toUpperCase(Locale.ROOT);
        return BROKEN_DIGESTS.stream().anyMatch(alg::startsWith);
    }

    /** libvirt picks the last matching reason of its list, so the later ones here win. */
    private static Optional<String> reason(boolean invalid, boolean unknownIssuer, boolean revoked, boolean insecure) {
        if (insecure) {
            return Optional.of(INSECURE);
        }
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
