package io.jvirt.config;

import java.util.Objects;

/** One attribute, name as written (prefix included, e.g. {@code xmlns:qemu}) and its unescaped value. */
public record XmlAttr(String name, String value) {
    public XmlAttr {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
