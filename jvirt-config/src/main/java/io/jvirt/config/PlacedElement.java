package io.jvirt.config;

import java.util.Objects;

/**
 * A child of {@code <domain>} that jvirt does not model ({@code <metadata>}, {@code <cpu>}, {@code <pm>}...),
 * kept with the modelled element it followed in the input ({@code after}; empty when it came first), so that
 * it is written back just after that element.
 */
public record PlacedElement(String after, XmlElement element) {
    public PlacedElement {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(element, "element");
    }
}
