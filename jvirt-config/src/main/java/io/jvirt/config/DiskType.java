package io.jvirt.config;

/** Where a disk's image lives ({@code <disk type=>}, {@code <backingStore type=>}): a file or a block device. */
public enum DiskType implements XmlValue {
    FILE("file"),
    BLOCK("block");

    private final String xml;

    DiskType(String xml) {
        this.xml = xml;
    }

    /** The value as written in domain XML. */
    @Override
    public String xml() {
        return xml;
    }
}
