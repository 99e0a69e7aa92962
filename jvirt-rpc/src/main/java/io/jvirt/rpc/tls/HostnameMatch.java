package io.jvirt.rpc.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Whether a server certificate belongs to the host the client asked for, as GnuTLS's hostname check decides: an IP
 * address matches an iPAddress subjectAltName; a name matches a dNSName subjectAltName (a leading {@code *.} covers
 * one label); the subject's CN counts only when the certificate has no dNSName at all. Case does not matter.
 * Stateless.
 */
public final class HostnameMatch {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private HostnameMatch() {}

    public static boolean matches(X509Certificate c, String host) {
        String wanted = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        Collection<List<?>> sans;
        try {
            sans = c.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        boolean anyDns = false;
        InetAddress ip = literalAddress(wanted);
        if (sans != null) {
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                String value = String.valueOf(san.get(1));
                if (type == SAN_IP && ip != null && ip.equals(literalAddress(value))) {
                    return true;
                }
                if (type == SAN_DNS) {
                    anyDns = true;
                    if (dnsMatches(value, wanted, ip == null)) {
                        return true;
                    }
                }
            }
        }
        if (anyDns) {
            return false;
        }
        String cn = commonName(c);
        return cn != null && dnsMatches(cn, wanted, ip == null);
    }

    /** A wildcard stands for one label of a name, never for part of an IP address (RFC 6125). */
    private static boolean dnsMatches(String pattern, String host, boolean wildcards) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (wildcards && p.startsWith("*.") && p.indexOf('.', 2) > 0) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(p.substring(1));
        }
        return p.equals(h);
    }

    /** The last CN of the subject (the most specific), or null. */
    private static String commonName(X509Certificate c) {
        try {
            String cn = null;
            for (Rdn rdn : new LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = String.valueOf(rdn.getValue());
                }
            }
            return cn;
        } catch (InvalidNameException e) {
            return null;
        }
    }

    /** The address {@code text} spells (IPv4 dotted or IPv6 with colons), never a DNS lookup; else null. */
    private static InetAddress literalAddress(String text) {
        boolean v4 = text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = text.contains(":") && text.matches("[0-9a-fA-F:.%]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
