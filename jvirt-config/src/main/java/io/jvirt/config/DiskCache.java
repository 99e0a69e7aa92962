package io.jvirt.config;

/** The host cache mode of a disk ({@code <driver cache=>}); {@code default} leaves QEMU's own. */
public enum DiskCache implements XmlValue {
    DEFAULT("default"),
    NONE("none"),
    WRITETHROUGH("writethrough"),
    WRITEBACK("writeback"),
    DIRECTSYNC("directsync"),
    UNSAFE("unsafe");

    private final String xml;

    DiskCache(String xml) {
        this.xml = xml;
    }

    /** The value as written in domain XML. */
    @Override
    public String xml() {
        return xml;
    }
}
