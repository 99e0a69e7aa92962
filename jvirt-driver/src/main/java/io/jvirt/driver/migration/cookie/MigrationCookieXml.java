package io.jvirt.driver.migration.cookie;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.SecureXml;
import io.jvirt.config.XmlElement;
import io.jvirt.config.XmlNode;
import io.jvirt.config.XmlText;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads and writes {@link MigrationCookie}s in libvirt's {@code qemu-migration} layout, so a libvirt peer
 * and jvirt understand each other's cookies. Output is byte-for-byte libvirt's: two-space indent, single-quoted
 * attributes, identity, then {@code <feature/>}s in bit order, then sections in libvirt's order (graphics,
 * lockstate, domain, nbd, statistics, capabilities). Input is checked in libvirt's order with libvirt's messages;
 * a section is read only when the receiving phase accepts its feature, as libvirt does. Stateless; any thread.
 *
 * <p>Where jvirt differs on input: the root element must be {@code qemu-migration} (libvirt does not look);
 * sections jvirt does not model ({@code network}, {@code cpu}, {@code blockDirtyBitmaps}) are
 * never read, even when accepted (their feature names are still honoured as mandatory features); and an
 * accepted but absent {@code capabilities} section stays null where libvirt would make an empty set, so a
 * caller can tell an old peer from one that supports nothing.
 */
public final class MigrationCookieXml {
    /** {@code REMOTE_MIGRATE_COOKIE_MAX}: the longest cookie libvirt's protocol carries, in bytes. */
    public static final int MAX_BYTES = 4194304;

    private static final String ROOT = "qemu-migration";
    private static final String WHAT = "qemu_migration_cookie";

    private MigrationCookieXml() {}

    /** {@code cookie} as libvirt writes it, ending in a newline. */
    public static String format(MigrationCookie cookie) {
        StringBuilder out = new StringBuilder();
        out.append('<').append(ROOT).append(">\n");
        textElement(out, 1, "name", cookie.name());
        textElement(out, 1, "uuid", cookie.uuid().toString());
        textElement(out, 1, "hostname", cookie.hostname());
        textElement(out, 1, "hostuuid", cookie.hostUuid().toString());
        for (CookieFeature f : cookie.mandatory()) {
            indent(out, 1)
                    .append("<feature name='")
                    .append(escape(f.xmlName(), true))
                    .append("'/>\n");
        }
        if (cookie.graphics() != null) {
            graphics(out, cookie.graphics());
        }
        if (cookie.lockState() != null) {
            lockState(out, cookie.lockState());
        }
        if (cookie.persistentXml() != null) {
            SecureXml.parseElement(cookie.persistentXml(), "migration_cookie_persistent_domain")
                    .appendXml(1, out);
        }
        if (cookie.nbd() != null) {
            cookie.nbd().appendXml(out);
        }
        if (cookie.statistics() != null) {
            statistics(out, cookie.statistics());
        }
        if (cookie.capabilities() != null) {
            // libvirt opens and closes this element even when it is empty
            indent(out, 1).append("<capabilities>\n");
            for (CookieCapability c : cookie.capabilities()) {
                indent(out, 2)
                        .append("<cap name='")
                        .append(escape(c.name(), true))
                        .append("' auto='")
                        .append(c.auto() ? "yes" : "no")
                        .append("'/>\n");
            }
            indent(out, 1).append("</capabilities>\n");
        }
        out.append("</").append(ROOT).append(">\n");
        return out.toString();
    }

    /**
     * Parses and checks a cookie received from the peer.
     *
     * @param xml           the cookie text
     * @param accepted      the features the receiving phase understands: mandatory features outside it are
     *                      refused, sections outside it are not read (the record has them null)
     * @param expectedName  the domain name the cookie must carry, or null to take any
     * @param expectedUuid  the domain UUID the cookie must carry
     * @param localHostUuid this host's UUID, which the cookie's host UUID must differ from
     * @throws VirtException INVALID_ARG when longer than {@link #MAX_BYTES}; XML_DETAIL when not well-formed or
     *                       carrying a DOCTYPE; XML_ERROR for another root element; INTERNAL_ERROR for every
     *                       libvirt check (missing or mismatched identity, same host, unknown or unsupported
     *                       feature, malformed section)
     */
    public static MigrationCookie parse(
            String xml, Set<CookieFeature> accepted, String expectedName, UUID expectedUuid, UUID localHostUuid) {
        Objects.requireNonNull(accepted, "accepted");
        Objects.requireNonNull(expectedUuid, "expectedUuid");
        Objects.requireNonNull(localHostUuid, "localHostUuid");
        checkSize(xml);
        XmlElement root = SecureXml.parseElement(xml, WHAT);
        if (!ROOT.equals(root.name())) {
            throw VirtException.of(
                    ErrorCode.XML_ERROR,
                    ErrorDomain.XML,
                    "expecting root element of '" + ROOT + "', not '" + root.name() + "'");
        }
        String name = childText(root, "name");
        if (name == null) {
            throw fail("missing name element in migration data");
        }
        if (expectedName != null && !name.equals(expectedName)) {
            throw fail("Incoming cookie data had unexpected name " + name + " vs " + expectedName);
        }
        String uuid = childText(root, "uuid");
        if (uuid == null) {
            throw fail("missing uuid element in migration data");
        }
        // libvirt compares the text with its own lower-case rendering, as done here
        if (!uuid.equals(expectedUuid.toString())) {
            throw fail("Incoming cookie data had unexpected UUID " + uuid + " vs " + expectedUuid);
        }
        String hostname = childText(root, "hostname");
        if (hostname == null) {
            throw fail("missing hostname element in migration data");
        }
        String hostUuidText = childText(root, "hostuuid");
        if (hostUuidText == null) {
            throw fail("missing hostuuid element in migration data");
        }
        UUID hostUuid = parseUuid(hostUuidText);
        if (hostUuid == null) {
            throw fail("malformed hostuuid element in migration data");
        }
        if (hostUuid.equals(localHostUuid)) {
            throw SameHostRefusal.of(hostUuidText);
        }
        Set<CookieFeature> mandatory = mandatoryFeatures(root, accepted);
        return new MigrationCookie(
                name,
                expectedUuid,
                hostname,
                hostUuid,
                mandatory,
                section(root, accepted, CookieFeature.GRAPHICS, "graphics", CookieGraphics::read),
                section(root, accepted, CookieFeature.LOCKSTATE, "lockstate", CookieLockState::read),
                accepted.contains(CookieFeature.PERSISTENT) ? persistent(root) : null,
                section(root, accepted, CookieFeature.NBD, "nbd", CookieNbd::read),
                section(root, accepted, CookieFeature.STATISTICS, "statistics", CookieStatistics::read),
                section(root, accepted, CookieFeature.CAPABILITIES, "capabilities", CookieCapability::readAll));
    }

    /** The section {@code element} read by {@code reader} if the phase accepts {@code feature}, else null. */
    private static <T> T section(
            XmlElement root,
            Set<CookieFeature> accepted,
            CookieFeature feature,
            String element,
            Function<XmlElement, T> reader) {
        if (!accepted.contains(feature)) {
            return null;
        }
        XmlElement e = child(root, element);
        return e == null ? null : reader.apply(e);
    }

    private static void checkSize(String xml) {
        if (xml == null) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "no migration cookie given");
        }
        long bytes = utf8Length(xml);
        if (bytes > MAX_BYTES) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "migration cookie is too large: " + bytes + " bytes, the limit is " + MAX_BYTES);
        }
    }

    // Counts without encoding: a cookie near the limit should not cost another 4 MiB to measure.
    private static long utf8Length(String s) {
        if ((long) s.length() * 3 <= MAX_BYTES) {
            return s.length();
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static Set<CookieFeature> mandatoryFeatures(XmlElement root, Set<CookieFeature> accepted) {
        EnumSet<CookieFeature> mandatory = EnumSet.noneOf(CookieFeature.class);
        for (XmlElement f : children(root, "feature")) {
            String fname = f.attribute("name");
            if (fname == null) {
                throw fail("missing feature name");
            }
            CookieFeature feature =
                    CookieFeature.fromName(fname).orElseThrow(() -> fail("Unknown migration cookie feature " + fname));
            if (!accepted.contains(feature)) {
                throw fail("Unsupported migration cookie feature " + fname);
            }
            mandatory.add(feature);
        }
        return mandatory;
    }

    private static String persistent(XmlElement root) {
        List<XmlElement> domains = children(root, "domain");
        if (domains.isEmpty()) {
            return null;
        }
        if (domains.size() != 1) {
            throw fail("Too many domain elements in migration cookie");
        }
        return domains.getFirst().toXml();
    }

    /**
     * libvirt's UUID syntax: 32 hex digits, dashes allowed between byte pairs, surrounding blanks ignored.
     * Null when it does not match.
     */
    static UUID parseUuid(String text) {
        String hex = text.strip().replace("-", "");
        if (hex.length() != 32 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return null;
        }
        long high = Long.parseUnsignedLong(hex.substring(0, 16), 16);
        long low = Long.parseUnsignedLong(hex.substring(16), 16);
        return new UUID(high, low);
    }

    static VirtException fail(String detail) {
        return VirtException.of(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, detail);
    }

    /** The direct children of {@code parent} called {@code name}, in document order. */
    static List<XmlElement> children(XmlElement parent, String name) {
        List<XmlElement> found = new ArrayList<>();
        for (XmlNode n : parent.children()) {
            if (n instanceof XmlElement e && e.name().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    /** The first direct child called {@code name}, or null. */
    static XmlElement child(XmlElement parent, String name) {
        for (XmlNode n : parent.children()) {
            if (n instanceof XmlElement e && e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The text of the first child called {@code name}; null when absent or empty, as libvirt's XPath reads. */
    static String childText(XmlElement parent, String name) {
        XmlElement e = child(parent, name);
        if (e == null) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        collectText(e, text);
        return text.isEmpty() ? null : text.toString();
    }

    private static void collectText(XmlElement e, StringBuilder out) {
        for (XmlNode n : e.children()) {
            switch (n) {
                case XmlText t -> out.append(t.text());
                case XmlElement c -> collectText(c, out);
            }
        }
    }

    private static void graphics(StringBuilder out, CookieGraphics g) {
        indent(out, 1)
                .append("<graphics type='")
                .append(escape(g.type(), true))
                .append("' port='")
                .append(g.port())
                .append("' listen='")
                .append(escape(g.listen(), true))
                .append('\'');
        if (g.isSpice()) {
            out.append(" tlsPort='").append(g.tlsPort()).append('\'');
        }
        if (g.certSubject() == null) {
            out.append("/>\n");
            return;
        }
        out.append(">\n");
        indent(out, 2)
                .append("<cert info='subject' value='")
                .append(escape(g.certSubject(), true))
                .append("'/>\n");
        indent(out, 1).append("</graphics>\n");
    }

    private static void lockState(StringBuilder out, CookieLockState l) {
        indent(out, 1)
                .append("<lockstate driver='")
                .append(escape(l.driver(), true))
                .append("'>\n");
        if (l.leases() == null) {
            indent(out, 2).append("<leases/>\n");
        } else {
            textElement(out, 2, "leases", l.leases());
        }
        indent(out, 1).append("</lockstate>\n");
    }

    private static void statistics(StringBuilder out, CookieStatistics s) {
        indent(out, 1).append("<statistics>\n");
        textElement(out, 2, "started", Long.toString(s.startedMillis()));
        textElement(out, 2, "stopped", Long.toString(s.stoppedMillis()));
        textElement(out, 2, "sent", Long.toString(s.sentMillis()));
        if (s.deltaMillis() != null) {
            textElement(out, 2, "delta", s.deltaMillis().toString());
        }
        for (Map.Entry<String, Long> e : s.values().entrySet()) {
            textElement(out, 2, e.getKey(), e.getValue().toString());
        }
        indent(out, 1).append("</statistics>\n");
    }

    private static void textElement(StringBuilder out, int depth, String name, String text) {
        indent(out, depth)
                .append('<')
                .append(name)
                .append('>')
                .append(escape(text, false))
                .append("</")
                .append(name)
                .append(">\n");
    }

    private static StringBuilder indent(StringBuilder out, int depth) {
        return out.append("  ".repeat(depth));
    }

    private static String escape(String text, boolean attribute) {
        return XmlElement.escape(text, attribute);
    }
}
