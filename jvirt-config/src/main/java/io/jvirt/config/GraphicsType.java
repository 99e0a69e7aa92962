package io.jvirt.config;

/** The remote display protocol ({@code <graphics type=>}). */
public enum GraphicsType implements XmlValue {
    VNC("vnc"),
    SPICE("spice");

    private final String xml;

    GraphicsType(String xml) {
        this.xml = xml;
    }

    /** The value as written in domain XML. */
    @Override
    public String xml() {
        return xml;
    }
}
