package io.jvirt.config;

/** Whether QEMU looks for zero writes ({@code <driver detect_zeroes=>}); unmap also discards them. */
public enum DiskDetectZeroes implements XmlValue {
    OFF("off"),
    ON("on"),
    UNMAP("unmap");

    private final String xml;

    DiskDetectZeroes(String xml) {
        this.xml = xml;
    }

    /** The value as written in domain XML. */
    @Override
    public String xml() {
        return xml;
    }
}
