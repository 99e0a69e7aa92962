package io.jvirt.config;

/** Which element a character device is written as. */
public enum CharDeviceKind implements XmlValue {
    SERIAL("serial"),
    CONSOLE("console");

    private final String xml;

    CharDeviceKind(String xml) {
        this.xml = xml;
    }

    /** The value as written in domain XML. */
    @Override
    public String xml() {
        return xml;
    }
}
