package io.jvirt.config;

/** A node of a kept XML fragment: an element or a run of text. Immutable, compared by value. */
public sealed interface XmlNode permits XmlElement, XmlText {}
