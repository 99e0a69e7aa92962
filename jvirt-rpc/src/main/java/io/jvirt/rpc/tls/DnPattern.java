package io.jvirt.rpc.tls;

import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * {@code tls_allowed_dn_list}: a client's Distinguished Name written as GnuTLS writes it (attributes in certificate
 * order, {@code C=UK,CN=libvirt}; the JDK's own form is reversed) and matched against simple globs, {@code *} any
 * run of characters and {@code ?} one character, as glib's {@code g_pattern_match_simple}. Stateless.
 */
public final class DnPattern {
    private DnPattern() {}

    /** The subject DN in certificate order. */
    public static String of(X509Certificate c) {
        return X500Name.getInstance(c.getSubjectX500Principal().getEncoded()).toString();
    }

    /** Whether some pattern matches {@code dn}; an empty list matches nothing. */
    public static boolean anyMatches(List<String> patterns, String dn) {
        return patterns.stream().anyMatch(p -> matches(p, dn));
    }

    /** Glob match of the whole text: {@code *} any run (also empty), {@code ?} any one character. */
    public static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starT = t;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
