package io.jvirt.cli.domain;

import io.jvirt.config.SecureXml;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The few facts the CLI reads from a domain's XML itself ({@code <os><type>} for dominfo, {@code <graphics>}
 * for domdisplay), with a parser that refuses DTDs and external entities. Any thread.
 */
final class DomainXmlFacts {
    /** One {@code <graphics>} element; ports are 0 when absent, strings null when absent. */
    record Graphics(String type, int port, int tlsPort, String listen, String socket, String passwd) {}

    private final Element root;

    private DomainXmlFacts(Element root) {
        this.root = root;
    }

    /**
     * Reads what the CLI needs without the domain model's validation: XML from a daemon may hold what jvirt's own
     * model refuses, and domdisplay must still work. Parsed by the same hardened parser (no DTDs, no entities).
     */
    static DomainXmlFacts parse(String xml) {
        return new DomainXmlFacts(SecureXml.parse(xml, "domain XML").getDocumentElement());
    }

    /** The text of {@code <os><type>}, e.g. "hvm". */
    Optional<String> osType() {
        return child(root, "os")
                .flatMap(os -> child(os, "type"))
                .map(t -> t.getTextContent().trim())
                .filter(t -> !t.isEmpty());
    }

    /** The {@code <graphics>} devices, in document order. */
    List<Graphics> graphics() {
        List<Graphics> result = new ArrayList<>();
        Optional<Element> devices = child(root, "devices");
        if (devices.isEmpty()) {
            return result;
        }
        for (Element g : children(devices.get(), "graphics")) {
            String listen = attr(g, "listen");
            String socket = attr(g, "socket");
            for (Element l : children(g, "listen")) {
                String type = attr(l, "type");
                if (listen == null && "address".equals(type)) {
                    listen = attr(l, "address");
                } else if (socket == null && "socket".equals(type)) {
                    socket = attr(l, "socket");
                }
            }
            result.add(new Graphics(
                    attr(g, "type"), intAttr(g, "port"), intAttr(g, "tlsPort"), listen, socket, attr(g, "passwd")));
        }
        return result;
    }

    private static Optional<Element> child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static String attr(Element e, String name) {
        return e.hasAttribute(name) ? e.getAttribute(name) : null;
    }

    private static int intAttr(Element e, String name) {
        String value = attr(e, name);
        if (value == null) {
            return 0;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException ex) {
            return 0;
        }
    }
}
