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
 * for domdisplay, disks and interfaces for domblklist and domiflist), with a parser that refuses DTDs and external entities. Any thread.
 */
final class DomainXmlFacts {
    /** One {@code <graphics>} element; ports are 0 when absent, strings null when absent. */
    record Graphics(String type, int port, int tlsPort, String listen, String socket, String passwd) {}

    /** One {@code <disk>}: its type and device, target, and source (file, dev, or null for none). */
    record Disk(String type, String device, String target, String source) {}

    /** One {@code <interface>}: type, host device ({@code <target dev>}), source, model and MAC; null when absent. */
    record Interface(String type, String targetDev, String source, String model, String mac) {}

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

    /** The {@code <disk>} devices, in document order. */
    List<Disk> disks() {
        List<Disk> result = new ArrayList<>();
        for (Element d : devices("disk")) {
            Optional<Element> source = child(d, "source");
            String path = source.map(s -> firstAttr(s, "file", "dev", "name", "volume"))
                    .orElse(null);
            result.add(new Disk(
                    attr(d, "type"),
                    attr(d, "device") == null ? "disk" : attr(d, "device"),
                    child(d, "target").map(t -> attr(t, "dev")).orElse(null),
                    path));
        }
        return result;
    }

    /** The {@code <interface>} devices, in document order. */
    List<Interface> interfaces() {
        List<Interface> result = new ArrayList<>();
        for (Element i : devices("interface")) {
            result.add(new Interface(
                    attr(i, "type"),
                    child(i, "target").map(t -> attr(t, "dev")).orElse(null),
                    child(i, "source")
                            .map(s -> firstAttr(s, "bridge", "network", "dev"))
                            .orElse(null),
                    child(i, "model").map(m -> attr(m, "type")).orElse(null),
                    child(i, "mac").map(m -> attr(m, "address")).orElse(null)));
        }
        return result;
    }

    private List<Element> devices(String kind) {
        return child(root, "devices").map(d -> children(d, kind)).orElse(List.of());
    }

    private static String firstAttr(Element e, String... names) {
        for (String n : names) {
            if (e.hasAttribute(n)) {
                return e.getAttribute(n);
            }
        }
        return null;
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
