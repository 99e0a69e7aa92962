package io.jvirt.api;

/** {@code virDomainInterfaceAddressesSource}: where {@code virDomainInterfaceAddresses} learns the addresses. */
public final class InterfaceAddressSource {
    /** The DHCP leases of libvirt's own networks. */
    public static final int LEASE = 0;
    /** The guest agent. */
    public static final int AGENT = 1;
    /** The host's ARP table, matched by the interfaces' MAC addresses. */
    public static final int ARP = 2;

    private InterfaceAddressSource() {}
}
