package io.jvirt.cli.domain;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The few facts the CLI reads from a domain's XML itself ({@code <os><type>} for dominfo, {@code <graphics>}
 * for domdisplay), with a parser that refuses DTDs and external entities. Any thread.
 */
final class DomainXml {
    /** One {@code <graphics>} element; ports are 0 when absent, strings null when absent. */
    record Graphics(String type, int port, int tlsPort, String listen, String socket, String passwd) {
    }

    // The JDK's default handler prints "[Fatal Error]" to stderr; the exception alone is the report.
    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private final Element root;

    private DomainXml(Element root) {
        this.root = root;
    }

    static DomainXml parse(String xml) {
        try {
            DocumentBuilder builder = factory().newDocumentBuilder();
            builder.setErrorHandler(SILENT);
            Document doc = builder.parse(new InputSource(new StringReader(xml)));
            return new DomainXml(doc.getDocumentElement());
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw VirtException.of(ErrorCode.XML_ERROR, ErrorDomain.XML, "cannot parse domain XML: " + e.getMessage(), e);
        }
    }

    /** The text of {@code <os><type>}, e.g. "hvm". */
    Optional<String> osType() {
        return child(root, "os").flatMap(os -> child(os, "type")).map(t -> t.getTextContent().trim())
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
            result.add(new Graphics(attr(g, "type"), intAttr(g, "port"), intAttr(g, "tlsPort"), listen, socket,
                    attr(g, "passwd")));
        }
        return result;
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        return f;
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
