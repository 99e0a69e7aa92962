package io.jvirt.config;

/**
 * The {@code <interface type=>} values jvirt runs: QEMU's user-mode network, a tap jvirt makes on a host bridge,
 * and a plain tap (made by jvirt, or an existing one with {@code <target managed='no'/>}).
 */
public enum InterfaceType implements XmlValue {
    USER("user"),
    BRIDGE("bridge"),
    ETHERNET("ethernet");

    private final String xml;

    InterfaceType(String xml) {
        this.xml = xml;
    }

    /** The value as written in domain XML. */
    @Override
    public String xml() {
        return xml;
    }
}
