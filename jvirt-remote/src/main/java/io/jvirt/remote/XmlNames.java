package io.jvirt.remote;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.io.StringReader;
import java.util.UUID;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/** The two facts the client reads out of server XML: the host UUID in capabilities, a domain's name. */
final class XmlNames {
    private XmlNames() {}

    /** {@code /capabilities/host/uuid}. */
    static UUID hostUuid(String capabilities) {
        Element host = child(parse(capabilities).getDocumentElement(), "host");
        Element uuid = host == null ? null : child(host, "uuid");
        if (uuid == null) {
            throw VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.REMOTE, "capabilities name no host UUID");
        }
        return UUID.fromString(uuid.getTextContent().trim());
    }

    /** {@code /domain/name}. */
    static String domainName(String domainXml) {
        Element name = child(parse(domainXml).getDocumentElement(), "name");
        if (name == null) {
            throw VirtException.of(ErrorCode.XML_ERROR, ErrorDomain.REMOTE, "domain XML has no name");
        }
        return name.getTextContent().trim();
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            f.setXIncludeAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw VirtException.of(
                    ErrorCode.XML_ERROR, ErrorDomain.REMOTE, "cannot parse XML from server: " + e.getMessage(), e);
        }
    }
}
