package io.jvirt.config;

/** The {@code type} of {@code <domain>}: the virtualization jvirt runs (TCG or KVM). */
public enum DomainType implements XmlValue {
    QEMU("qemu"),
    KVM("kvm");

    private final String xml;

    DomainType(String xml) {
        this.xml = xml;
    }

    /** The value as written in domain XML. */
    @Override
    public String xml() {
        return xml;
    }
}
