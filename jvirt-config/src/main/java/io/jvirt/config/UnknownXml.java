package io.jvirt.config;

import java.util.List;
import java.util.Map;

/**
 * What jvirt did not understand on a modelled element, kept so that it is written back: its unknown
 * {@code attributes}, the same for each modelled child ({@code children}, keyed by child name, or
 * {@code name#index} for repeated children such as {@code boot#1}), and unknown child {@code elements}
 * (written after the modelled children).
 */
public record UnknownXml(List<XmlAttr> attributes, Map<String, UnknownXml> children, List<XmlElement> elements) {
    /** Nothing unknown. */
    public static final UnknownXml NONE = new UnknownXml(List.of(), Map.of(), List.of());

    public UnknownXml {
        attributes = List.copyOf(attributes);
        children = Map.copyOf(children);
        elements = List.copyOf(elements);
    }

    /** What is unknown on the modelled child under {@code key}; {@link #NONE} if nothing. */
    public UnknownXml child(String key) {
        return children.getOrDefault(key, NONE);
    }

    public boolean isEmpty() {
        return attributes.isEmpty() && children.isEmpty() && elements.isEmpty();
    }
}
