package io.jvirt.config;

/** How a disk appears to the guest ({@code <disk device=>}). */
public enum DiskDevice implements XmlValue {
    DISK("disk"),
    CDROM("cdrom");

    private final String xml;

    DiskDevice(String xml) {
        this.xml = xml;
    }

    /** The value as written in domain XML. */
    @Override
    public String xml() {
        return xml;
    }
}
