package io.jvirt.config;

/** {@code <link state=>} of an interface: whether the guest sees its cable plugged in. */
public enum LinkState implements XmlValue {
    UP("up"),
    DOWN("down");

    private final String xml;

    LinkState(String xml) {
        this.xml = xml;
    }

    /** The value as written in domain XML. */
    @Override
    public String xml() {
        return xml;
    }
}
