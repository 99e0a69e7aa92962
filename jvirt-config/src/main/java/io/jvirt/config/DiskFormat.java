package io.jvirt.config;

/** The image format of a disk ({@code <driver type=>}). */
public enum DiskFormat implements XmlValue {
    RAW("raw"),
    QCOW2("qcow2");

    private final String xml;

    DiskFormat(String xml) {
        this.xml = xml;
    }

    /** The value as written in domain XML. */
    @Override
    public String xml() {
        return xml;
    }
}
