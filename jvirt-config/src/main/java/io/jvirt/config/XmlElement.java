package io.jvirt.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * An immutable XML element kept verbatim: what jvirt does not model (metadata, {@code <cpu>}, unknown devices,
 * a disk's {@code <address>}) travels in these, and the formatter builds its output from them too.
 * Comments are dropped; whitespace between child elements is dropped unless the element has mixed content,
 * whose text is then kept exactly so that a round trip cannot grow it.
 */
public record XmlElement(String name, List<XmlAttr> attributes, List<XmlNode> children) implements XmlNode {
    public XmlElement {
        Objects.requireNonNull(name, "name");
        attributes = List.copyOf(attributes);
        children = List.copyOf(children);
    }

    /** An element with attributes and no content. */
    public static XmlElement empty(String name, List<XmlAttr> attributes) {
        return new XmlElement(name, attributes, List.of());
    }

    /** A copy of a DOM element (prefixes kept as written: the parser is not namespace-aware). */
    public static XmlElement fromDom(Element element) {
        List<XmlAttr> attrs = new ArrayList<>();
        NamedNodeMap map = element.getAttributes();
        for (int i = 0; i < map.getLength(); i++) {
            Attr a = (Attr) map.item(i);
            attrs.add(new XmlAttr(a.getName(), a.getValue()));
        }
        boolean mixed = hasNonBlankText(element);
        List<XmlNode> children = new ArrayList<>();
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            switch (n.getNodeType()) {
                case Node.ELEMENT_NODE -> children.add(fromDom((Element) n));
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> {
                    if (mixed || !n.getNodeValue().isBlank()) {
                        appendText(children, n.getNodeValue());
                    }
                }
                default -> {
                    // comments and processing instructions are not kept, as in libvirt
                }
            }
        }
        return new XmlElement(element.getTagName(), attrs, children);
    }

    /** The value of attribute {@code attr}, or null. */
    public String attribute(String attr) {
        for (XmlAttr a : attributes) {
            if (a.name().equals(attr)) {
                return a.value();
            }
        }
        return null;
    }

    /** This element printed with libvirt's two-space indent, without a trailing newline. */
    public String toXml() {
        return XmlPrinter.print(this);
    }

    /**
     * Appends this element to {@code out} as if nested {@code depth} levels inside a document printed the same
     * way, each line ending in a newline; multi-line text is carried unchanged.
     */
    public void appendXml(int depth, StringBuilder out) {
        XmlPrinter.print(this, depth, out);
    }

    /** {@code text} escaped for XML content, or with {@code attribute} for a single-quoted attribute value. */
    public static String escape(String text, boolean attribute) {
        StringBuilder out = new StringBuilder(text.length());
        XmlPrinter.escape(text, attribute, out);
        return out.toString();
    }

    private static boolean hasNonBlankText(Element element) {
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            short type = n.getNodeType();
            if ((type == Node.TEXT_NODE || type == Node.CDATA_SECTION_NODE)
                    && !n.getNodeValue().isBlank()) {
                return true;
            }
        }
        return false;
    }

    // Adjacent text and CDATA nodes become one, so equal documents give equal records.
    private static void appendText(List<XmlNode> children, String text) {
        if (!children.isEmpty() && children.getLast() instanceof XmlText last) {
            children.set(children.size() - 1, new XmlText(last.text() + text));
        } else {
            children.add(new XmlText(text));
        }
    }
}
