package io.jvirt.driver.migration.cookie;

import io.jvirt.config.XmlElement;
import java.util.Objects;
import java.util.Set;

/**
 * A cookie's {@code graphics} section, sent by the destination in Prepare so the source can tell a connected
 * SPICE client where to reconnect ({@code client_migrate_info}).
 *
 * @param type        libvirt's graphics type name, in practice {@code "spice"} or {@code "vnc"}
 * @param port        the plain port the destination's display listens on
 * @param tlsPort     the SPICE TLS port, -1 when SPICE TLS is off; always -1 for other types (libvirt writes
 *                    and reads {@code tlsPort} only for SPICE)
 * @param listen      the listen address
 * @param certSubject subject of the destination's SPICE server certificate ({@link GraphicsCertificate}), or
 *                    null
 */
public record CookieGraphics(String type, int port, int tlsPort, String listen, String certSubject) {
    /** libvirt's {@code virDomainGraphicsType} names: the types a cookie may name. */
    public static final Set<String> TYPES = Set.of("sdl", "vnc", "rdp", "desktop", "spice", "egl-headless", "dbus");

    public CookieGraphics {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(listen, "listen");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("unknown graphics type " + type);
        }
        if (!spiceType(type) && tlsPort != -1) {
            throw new IllegalArgumentException("tlsPort is only carried for spice, not " + type);
        }
    }

    /** SPICE relocation data; {@code tlsPort} -1 and {@code certSubject} null when TLS is off. */
    public static CookieGraphics spice(int port, int tlsPort, String listen, String certSubject) {
        return new CookieGraphics("spice", port, tlsPort, listen, certSubject);
    }

    /** VNC display data (no TLS port in the cookie). */
    public static CookieGraphics vnc(int port, String listen) {
        return new CookieGraphics("vnc", port, -1, listen, null);
    }

    /** A {@code graphics} section, checked in libvirt's order with its messages. */
    static CookieGraphics read(XmlElement section) {
        String type = section.attribute("type");
        if (type == null || type.isEmpty()) {
            throw MigrationCookieXml.fail("missing type attribute in migration data");
        }
        if (!TYPES.contains(type)) {
            throw MigrationCookieXml.fail("unknown graphics type " + type);
        }
        int port = intAttribute(section, "port");
        int tlsPort = spiceType(type) ? intAttribute(section, "tlsPort") : -1;
        String listen = section.attribute("listen");
        if (listen == null || listen.isEmpty()) {
            throw MigrationCookieXml.fail("missing listen attribute in migration data");
        }
        String subject = null;
        for (XmlElement cert : MigrationCookieXml.children(section, "cert")) {
            if ("subject".equals(cert.attribute("info"))) {
                subject = cert.attribute("value");
                break;
            }
        }
        return new CookieGraphics(type, port, tlsPort, listen, subject == null || subject.isEmpty() ? null : subject);
    }

    // libvirt reports a value that is not a number the same way as a missing one
    private static int intAttribute(XmlElement section, String attr) {
        String text = section.attribute(attr);
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw MigrationCookieXml.fail("missing " + attr + " attribute in migration data");
        }
    }

    /** Whether this is SPICE, the only type whose {@code tlsPort} is on the wire. */
    public boolean isSpice() {
        return spiceType(type);
    }

    private static boolean spiceType(String type) {
        return "spice".equals(type);
    }
}
