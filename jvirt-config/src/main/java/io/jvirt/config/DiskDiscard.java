package io.jvirt.config;

/** Whether the guest's discard requests reach the image ({@code <driver discard=>}). */
public enum DiskDiscard implements XmlValue {
    UNMAP("unmap"),
    IGNORE("ignore");

    private final String xml;

    DiskDiscard(String xml) {
        this.xml = xml;
    }

    /** The value as written in domain XML. */
    @Override
    public String xml() {
        return xml;
    }
}
