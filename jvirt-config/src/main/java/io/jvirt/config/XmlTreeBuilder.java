package io.jvirt.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Builds an {@link XmlElement} tree from SAX events, keeping attributes in document order (a DOM sorts them).
 * Applies the same whitespace rule as {@link XmlElement#fromDom}. One parse, one thread.
 */
final class XmlTreeBuilder extends DefaultHandler {
    private final Deque<Frame> open = new ArrayDeque<>();
    private XmlElement root;

    private record Frame(String name, List<XmlAttr> attributes, List<XmlNode> children, StringBuilder text) {}

    XmlElement root() {
        return root;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attrs) {
        flushText();
        List<XmlAttr> list = new ArrayList<>(attrs.getLength());
        for (int i = 0; i < attrs.getLength(); i++) {
            list.add(new XmlAttr(attrs.getQName(i), attrs.getValue(i)));
        }
        open.push(new Frame(qName, list, new ArrayList<>(), new StringBuilder()));
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        flushText();
        Frame f = open.pop();
        boolean mixed = f.children().stream()
                .anyMatch(n -> n instanceof XmlText t && !t.text().isBlank());
        List<XmlNode> children = mixed
                ? f.children()
                : f.children().stream().filter(n -> n instanceof XmlElement).toList();
        XmlElement e = new XmlElement(f.name(), f.attributes(), children);
        if (open.isEmpty()) {
            root = e;
        } else {
            open.peek().children().add(e);
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
        if (!open.isEmpty()) {
            open.peek().text().append(ch, start, length);
        }
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) {
        characters(ch, start, length);
    }

    @Override
    public InputSource resolveEntity(String publicId, String systemId) throws SAXException {
        throw new SAXException("external entity '" + systemId + "' refused");
    }

    @Override
    public void error(SAXParseException e) throws SAXException {
        throw e;
    }

    @Override
    public void fatalError(SAXParseException e) throws SAXException {
        throw e;
    }

    private void flushText() {
        Frame f = open.peek();
        if (f != null && !f.text().isEmpty()) {
            f.children().add(new XmlText(f.text().toString()));
            f.text().setLength(0);
        }
    }
}
