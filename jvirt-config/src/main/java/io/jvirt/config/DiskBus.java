package io.jvirt.config;

/** The bus a disk is attached to ({@code <target bus=>}). */
public enum DiskBus implements XmlValue {
    VIRTIO("virtio"),
    SATA("sata"),
    IDE("ide"),
    SCSI("scsi");

    private final String xml;

    DiskBus(String xml) {
        this.xml = xml;
    }

    /** The value as written in domain XML. */
    @Override
    public String xml() {
        return xml;
    }
}
