package io.jvirt.config;

import java.util.Objects;

/** Character data inside a kept element, exactly as parsed (entities already resolved). */
public record XmlText(String text) implements XmlNode {
    public XmlText {
        Objects.requireNonNull(text, "text");
    }
}
