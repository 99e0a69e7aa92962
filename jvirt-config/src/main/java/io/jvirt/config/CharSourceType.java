package io.jvirt.config;

/** Where a serial port or console is connected ({@code <serial type=>}). */
public enum CharSourceType implements XmlValue {
    FILE("file"),
    PTY("pty"),
    UNIX("unix");

    private final String xml;

    CharSourceType(String xml) {
        this.xml = xml;
    }

    /** The value as written in domain XML. */
    @Override
    public String xml() {
        return xml;
    }
}
