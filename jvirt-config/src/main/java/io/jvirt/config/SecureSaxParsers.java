package io.jvirt.config;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.SAXException;

/**
 * SAX parsers with the protections of {@link SecureXml}, kept for reuse. Looking up and configuring a factory and
 * building a parser took about three fifths of {@link SecureXml#parseElement}'s time for the domain definitions
 * the fuzzer makes (which are small, as most definitions are), so the factory is set up once and a parser that has
 * finished a document goes back to a small pool instead of being dropped.
 *
 * <p>Threading: any thread. A parser is used by one thread between {@link #take()} and {@link #give(SAXParser)};
 * the queue hands it over. The factory is not thread-safe, so making a parser holds its lock.
 */
final class SecureSaxParsers {
    /** Parsers kept: more than the threads that parse XML at once in practice; the rest are made and dropped. */
    private static final int KEPT = 8;

    private static final SAXParserFactory FACTORY = factory();
    private static final BlockingQueue<SAXParser> IDLE = new ArrayBlockingQueue<>(KEPT);

    private SecureSaxParsers() {}

    /** An idle parser, or a new one. */
    static SAXParser take() throws ParserConfigurationException, SAXException {
        SAXParser parser = IDLE.poll();
        if (parser != null) {
            return parser;
        }
        SAXParser made;
        synchronized (FACTORY) {
            made = FACTORY.newSAXParser();
        }
        secure(made);
        return made;
    }

    /**
     * Returns {@code parser} after a parse, whatever its outcome. {@link SAXParser#reset()} drops the handler (and
     * so the last document's tree) and restores the parser's first properties, so the limits are set again.
     */
    static void give(SAXParser parser) {
        try {
            parser.reset();
            secure(parser);
        } catch (SAXException e) {
            return; // cannot happen with the JDK's parser; a parser that refuses is not reused
        }
        IDLE.offer(parser);
    }

    private static void secure(SAXParser parser) throws SAXException {
        parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        parser.setProperty("jdk.xml.maxElementDepth", Integer.toString(SecureXml.MAX_DEPTH));
    }

    private static SAXParserFactory factory() {
        try {
            SAXParserFactory f = SAXParserFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setXIncludeAware(false);
            f.setNamespaceAware(false);
            f.setValidating(false);
            return f;
        } catch (ParserConfigurationException | SAXException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
