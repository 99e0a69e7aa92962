package io.jvirt.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds one output element for the formatter and folds the kept {@link UnknownXml} back in: unknown
 * attributes after the modelled ones, unknown children's extras into the modelled children, unknown child
 * elements where {@link #unknownElementsHere()} is called or else last. Single use, one thread.
 */
final class ElementWriter {
    private final String name;
    private final UnknownXml unknown;
    private final List<XmlAttr> attributes = new ArrayList<>();
    private final List<XmlNode> children = new ArrayList<>();
    private boolean unknownPlaced;

    ElementWriter(String name, UnknownXml unknown) {
        this.name = name;
        this.unknown = unknown == null ? UnknownXml.NONE : unknown;
    }

    /** Adds {@code attr='value'} unless value is null. */
    ElementWriter attr(String attr, Object value) {
        if (value != null) {
            attributes.add(new XmlAttr(attr, value.toString()));
        }
        return this;
    }

    ElementWriter text(String text) {
        if (text != null) {
            children.add(new XmlText(text));
        }
        return this;
    }

    /** Adds child {@code childName} (unknowns under the same key), always, even if empty. */
    ElementWriter child(String childName, Consumer<ElementWriter> body) {
        return child(childName, childName, body);
    }

    /** Adds child {@code childName} whose unknowns are kept under {@code key} (e.g. {@code boot#1}). */
    ElementWriter child(String key, String childName, Consumer<ElementWriter> body) {
        ElementWriter w = new ElementWriter(childName, unknown.child(key));
        body.accept(w);
        children.add(w.build());
        return this;
    }

    /** Adds child {@code childName} only if it ends up with any attribute or content. */
    ElementWriter optionalChild(String childName, Consumer<ElementWriter> body) {
        ElementWriter w = new ElementWriter(childName, unknown.child(childName));
        body.accept(w);
        XmlElement e = w.build();
        if (!e.attributes().isEmpty() || !e.children().isEmpty()) {
            children.add(e);
        }
        return this;
    }

    /** Adds {@code <childName>text</childName>} unless text is null. */
    ElementWriter textChild(String childName, String text) {
        if (text != null) {
            child(childName, w -> w.text(text));
        }
        return this;
    }

    ElementWriter element(XmlElement element) {
        if (element != null) {
            children.add(element);
        }
        return this;
    }

    /** Puts the unknown child elements here rather than last. */
    ElementWriter unknownElementsHere() {
        children.addAll(unknown.elements());
        unknownPlaced = true;
        return this;
    }

    XmlElement build() {
        List<XmlAttr> attrs = new ArrayList<>(attributes);
        Set<String> written = new HashSet<>();
        attributes.forEach(a -> written.add(a.name()));
        for (XmlAttr a : unknown.attributes()) {
            if (written.add(a.name())) {
                attrs.add(a);
            }
        }
        List<XmlNode> content = new ArrayList<>(children);
        if (!unknownPlaced) {
            content.addAll(unknown.elements());
        }
        return new XmlElement(name, attrs, content);
    }
}
