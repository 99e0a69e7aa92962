package io.jvirt.driver;

import io.jvirt.api.DailyFlags;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.config.PlacedElement;
import io.jvirt.config.SecureXml;
import io.jvirt.config.XmlAttr;
import io.jvirt.config.XmlElement;
import io.jvirt.config.XmlNode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code virDomainSetMetadata} and {@code virDomainGetMetadata} on a definition: the title (one line), the
 * description, and applications' elements in {@code <metadata>}, one per namespace URI, written with the prefix the
 * setter chose ({@code <app:foo xmlns:app='URI'>}) and given back without it. Pure functions of a definition.
 */
final class DomainMetadata {
    private static final String METADATA = "metadata";

    private DomainMetadata() {}

    /** {@code def} with the title, description or element set; null or empty text removes it. */
    static DomainDef set(DomainDef def, int type, String text, String key, String uri) {
        boolean remove = text == null || text.isEmpty();
        return switch (type) {
            case DailyFlags.METADATA_DESCRIPTION -> def.withTitleAndDescription(def.title(), remove ? null : text);
            case DailyFlags.METADATA_TITLE -> {
                if (!remove && text.contains("\n")) {
                    throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, "title can't contain newlines");
                }
                yield def.withTitleAndDescription(remove ? null : text, def.description());
            }
            case DailyFlags.METADATA_ELEMENT -> setElement(def, remove ? null : text, key, uri);
            default -> throw unknownType(type);
        };
    }

    /** The title, description or element, or libvirt's "metadata not found". */
    static String get(DomainDef def, int type, String uri) {
        String value = switch (type) {
            case DailyFlags.METADATA_DESCRIPTION -> def.description();
            case DailyFlags.METADATA_TITLE -> def.title();
            case DailyFlags.METADATA_ELEMENT -> {
                requireUri(uri);
                XmlElement e = find(metadata(def), uri);
                yield e == null ? null : withoutPrefix(e).toXml();
            }
            default -> throw unknownType(type);
        };
        if (value == null) {
            throw VirtException.of(
                    ErrorCode.NO_DOMAIN_METADATA, ErrorDomain.DOMAIN, "Requested metadata element is not present");
        }
        return value;
    }

    private static DomainDef setElement(DomainDef def, String text, String key, String uri) {
        requireUri(uri);
        XmlElement added = null;
        if (text != null) {
            if (key == null || key.isEmpty()) {
                throw VirtException.of(
                        ErrorCode.INVALID_ARG, ErrorDomain.NONE, "key in virDomainSetMetadata must not be NULL");
            }
            XmlElement parsed =
                    XmlElement.fromDom(SecureXml.parse(text, "metadata").getDocumentElement());
            List<XmlAttr> attrs = new ArrayList<>(List.of(new XmlAttr("xmlns:" + key, uri)));
            parsed.attributes().stream()
                    .filter(a -> !a.name().startsWith("xmlns"))
                    .forEach(attrs::add);
            added = new XmlElement(key + ":" + localName(parsed.name()), attrs, parsed.children());
        }
        XmlElement old = metadata(def);
        List<XmlNode> children = new ArrayList<>();
        if (old != null) {
            for (XmlNode n : old.children()) {
                if (!(n instanceof XmlElement e && uri.equals(namespaceOf(e)))) {
                    children.add(n);
                }
            }
        }
        if (added != null) {
            children.add(added);
        }
        List<PlacedElement> extras = new ArrayList<>();
        boolean placed = false;
        for (PlacedElement p : def.extras()) {
            if (p.element().name().equals(METADATA)) {
                if (!children.isEmpty()) {
                    extras.add(new PlacedElement(
                            p.after(), new XmlElement(METADATA, p.element().attributes(), children)));
                }
                placed = true;
            } else {
                extras.add(p);
            }
        }
        if (!placed && !children.isEmpty()) {
            extras.add(new PlacedElement("description", new XmlElement(METADATA, List.of(), children)));
        }
        return def.withExtras(extras);
    }

    private static XmlElement metadata(DomainDef def) {
        return def.extras().stream()
                .map(PlacedElement::element)
                .filter(e -> e.name().equals(METADATA))
                .findFirst()
                .orElse(null);
    }

    private static XmlElement find(XmlElement metadata, String uri) {
        if (metadata == null) {
            return null;
        }
        for (XmlNode n : metadata.children()) {
            if (n instanceof XmlElement e && uri.equals(namespaceOf(e))) {
                return e;
            }
        }
        return null;
    }

    /** The namespace URI an element's own prefix (or the default namespace) is bound to on it, or null. */
    private static String namespaceOf(XmlElement e) {
        int colon = e.name().indexOf(':');
        return e.attribute(colon < 0 ? "xmlns" : "xmlns:" + e.name().substring(0, colon));
    }

    private static XmlElement withoutPrefix(XmlElement e) {
        int colon = e.name().indexOf(':');
        String declaration = colon < 0 ? "xmlns" : "xmlns:" + e.name().substring(0, colon);
        List<XmlAttr> attrs = e.attributes().stream()
                .filter(a -> !a.name().equals(declaration))
                .toList();
        return new XmlElement(localName(e.name()), attrs, e.children());
    }

    private static String localName(String name) {
        return name.substring(name.indexOf(':') + 1);
    }

    private static void requireUri(String uri) {
        if (uri == null || uri.isEmpty()) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG, ErrorDomain.NONE, "uri in virDomainSetMetadata must not be NULL");
        }
    }

    private static VirtException unknownType(int type) {
        return VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, "unknown metadata type '" + type + "'");
    }
}
