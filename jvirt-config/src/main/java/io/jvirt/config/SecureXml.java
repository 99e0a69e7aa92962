package io.jvirt.config;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses untrusted XML text into a DOM with the protections every jvirt XML reader needs: a DOCTYPE is refused
 * outright (so no entity expansion, internal or external, and no DTD is ever fetched), no XInclude, a bounded
 * input length and element depth. Errors are {@link VirtException}s in libvirt's style: a document that is not
 * well-formed gives {@code XML_DETAIL} with {@code "(what):LINE:COLUMN: parser message"}, as libvirt reports
 * libxml2's errors. Thread-safe: a DOM factory is made per call because DOM factories are not thread-safe; SAX
 * parsers are kept and reused ({@link SecureSaxParsers}).
 */
public final class SecureXml {
    /** The longest document accepted, in chars: far beyond any domain definition, well below harm. */
    public static final int MAX_CHARS = 10 * 1024 * 1024;
    /** The deepest element nesting accepted. */
    public static final int MAX_DEPTH = 256;

    private SecureXml() {}

    /**
     * Parses {@code text}; {@code what} names the document in messages (e.g. {@code "domain_definition"}).
     *
     * @throws VirtException INVALID_ARG when the text is longer than {@link #MAX_CHARS}; XML_DETAIL when it is not
     *                       well-formed XML or carries a DOCTYPE
     */
    public static Document parse(String text, String what) {
        checkLength(text, what);
        try {
            DocumentBuilder builder = factory().newDocumentBuilder();
            builder.setErrorHandler(new Strict());
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity '" + systemId + "' refused");
            });
            return builder.parse(new InputSource(new StringReader(text)));
        } catch (SAXParseException e) {
            throw notWellFormed(what, e);
        } catch (SAXException | IOException e) {
            throw VirtException.of(ErrorCode.XML_DETAIL, ErrorDomain.XML, "(" + what + "): " + e.getMessage(), e);
        } catch (ParserConfigurationException e) {
            throw VirtException.of(ErrorCode.INTERNAL_ERROR, ErrorDomain.XML, "cannot set up a secure XML parser", e);
        }
    }

    /**
     * Parses {@code text} with the same protections and errors as {@link #parse} into a kept element tree,
     * attributes in document order.
     */
    public static XmlElement parseElement(String text, String what) {
        checkLength(text, what);
        try {
            XmlTreeBuilder tree = new XmlTreeBuilder();
            SAXParser parser = SecureSaxParsers.take();
            try {
                parser.parse(new InputSource(new StringReader(text)), tree);
            } finally {
                SecureSaxParsers.give(parser);
            }
            return tree.root();
        } catch (SAXParseException e) {
            throw notWellFormed(what, e);
        } catch (SAXException | IOException e) {
            throw VirtException.of(ErrorCode.XML_DETAIL, ErrorDomain.XML, "(" + what + "): " + e.getMessage(), e);
        } catch (ParserConfigurationException e) {
            throw VirtException.of(ErrorCode.INTERNAL_ERROR, ErrorDomain.XML, "cannot set up a secure XML parser", e);
        }
    }

    private static void checkLength(String text, String what) {
        if (text == null) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.XML, "no XML document given for " + what);
        }
        if (text.length() > MAX_CHARS) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.XML,
                    "XML document " + what + " is too large: " + text.length() + " characters, the limit is "
                            + MAX_CHARS);
        }
    }

    private static VirtException notWellFormed(String what, SAXParseException e) {
        return VirtException.of(
                ErrorCode.XML_DETAIL,
                ErrorDomain.XML,
                "(" + what + "):" + e.getLineNumber() + ":" + e.getColumnNumber() + ": " + e.getMessage(),
                e);
    }

    /** {@code element} printed in libvirt's layout (two-space indent, single quotes), ending in a newline. */
    public static String write(Element element) {
        return write(XmlElement.fromDom(element));
    }

    /** {@code element} printed in libvirt's layout, ending in a newline. */
    public static String write(XmlElement element) {
        return element.toXml() + "\n";
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setAttribute("jdk.xml.maxElementDepth", Integer.toString(MAX_DEPTH));
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setNamespaceAware(false);
        f.setValidating(false);
        f.setCoalescing(true);
        f.setIgnoringComments(true);
        return f;
    }

    /** Turns every error into a failure; the default handler would print to stderr and go on. */
    private static final class Strict implements ErrorHandler {
        @Override
        public void warning(SAXParseException e) {
            // warnings (none arise without a DTD) do not stop a parse
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    }
}
