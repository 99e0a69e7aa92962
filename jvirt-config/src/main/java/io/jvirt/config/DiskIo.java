package io.jvirt.config;

/** The host I/O mode of a disk ({@code <driver io=>}), QEMU's {@code aio}. */
public enum DiskIo implements XmlValue {
    NATIVE("native"),
    THREADS("threads"),
    IO_URING("io_uring");

    private final String xml;

    DiskIo(String xml) {
        this.xml = xml;
    }

    /** The value as written in domain XML. */
    @Override
    public String xml() {
        return xml;
    }
}
