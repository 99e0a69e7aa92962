package io.jvirt.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one parsed element for the parser while remembering which attributes and children were asked for, so
 * that everything else can be kept as {@link UnknownXml}. Knows its path ({@code /domain/devices/disk[2]})
 * for error messages. One parse, one thread.
 */
final class ElementReader {
    private final XmlElement element;
    private final String path;
    private final Set<String> usedAttributes = new HashSet<>();
    // by identity: two equal children (two identical <timer/>s) are still two children
    private final Set<XmlElement> usedChildren = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, ElementReader> childReaders = new LinkedHashMap<>();

    ElementReader(XmlElement element, String path) {
        this.element = element;
        this.path = path;
    }

    XmlElement element() {
        return element;
    }

    String name() {
        return element.name();
    }

    String path() {
        return path;
    }

    /** The attribute's value, or null when absent. */
    String attr(String name) {
        usedAttributes.add(name);
        return element.attribute(name);
    }

    /** All text inside the element, stripped; null when there is none. */
    String text() {
        String t = rawText();
        return t == null || t.isBlank() ? null : t.strip();
    }

    /** All text inside the element as written, or null when there is none (for free text such as a description). */
    String rawText() {
        StringBuilder b = new StringBuilder();
        collectText(element, b);
        return b.isEmpty() ? null : b.toString();
    }

    /** The first child called {@code name} not yet read, or null; later ones stay unknown. */
    ElementReader child(String name) {
        for (XmlElement c : elements()) {
            if (c.name().equals(name) && !usedChildren.contains(c)) {
                return use(c, name, path + "/" + name);
            }
        }
        return null;
    }

    /** The text of the first child called {@code name}, or null. */
    String childText(String name) {
        ElementReader c = child(name);
        return c == null ? null : c.text();
    }

    /** Every child called {@code name}, in order; their unknowns are keyed {@code name#index}. */
    List<ElementReader> children(String name) {
        List<ElementReader> out = new ArrayList<>();
        for (XmlElement c : elements()) {
            if (c.name().equals(name) && !usedChildren.contains(c)) {
                int i = out.size();
                out.add(use(c, name + "#" + i, path + "/" + name + "[" + (i + 1) + "]"));
            }
        }
        return out;
    }

    /** Child elements in document order. */
    List<XmlElement> elements() {
        List<XmlElement> out = new ArrayList<>();
        for (XmlNode n : element.children()) {
            if (n instanceof XmlElement e) {
                out.add(e);
            }
        }
        return out;
    }

    /** A reader for {@code child}, marking it as understood; its unknowns are kept under {@code key}. */
    ElementReader use(XmlElement child, String key, String childPath) {
        usedChildren.add(child);
        ElementReader r = new ElementReader(child, childPath);
        childReaders.put(key, r);
        return r;
    }

    /**
     * The first child called {@code name} kept whole (as for {@code <address>}), or null; it is then
     * understood, so it does not also turn up among the unknowns.
     */
    XmlElement take(String name) {
        for (XmlElement c : elements()) {
            if (c.name().equals(name) && !usedChildren.contains(c)) {
                usedChildren.add(c);
                return c;
            }
        }
        return null;
    }

    /** Marks {@code child} as handled elsewhere (devices parse their own unknowns). */
    void markUsed(XmlElement child) {
        usedChildren.add(child);
    }

    boolean isUsed(XmlElement child) {
        return usedChildren.contains(child);
    }

    /** Everything not asked for, here and in the modelled children. */
    UnknownXml unknown() {
        return unknown(true);
    }

    /** As {@link #unknown()}; without unknown child elements when the caller keeps those itself. */
    UnknownXml unknown(boolean withElements) {
        List<XmlAttr> attrs = element.attributes().stream()
                .filter(a -> !usedAttributes.contains(a.name()))
                .toList();
        Map<String, UnknownXml> children = new LinkedHashMap<>();
        childReaders.forEach((key, r) -> {
            UnknownXml u = r.unknown();
            if (!u.isEmpty()) {
                children.put(key, u);
            }
        });
        List<XmlElement> elements = withElements
                ? elements().stream().filter(c -> !usedChildren.contains(c)).toList()
                : List.of();
        return attrs.isEmpty() && children.isEmpty() && elements.isEmpty()
                ? UnknownXml.NONE
                : new UnknownXml(attrs, children, elements);
    }

    private static void collectText(XmlElement e, StringBuilder b) {
        for (XmlNode n : e.children()) {
            switch (n) {
                case XmlText t -> b.append(t.text());
                case XmlElement c -> collectText(c, b);
            }
        }
    }
}
