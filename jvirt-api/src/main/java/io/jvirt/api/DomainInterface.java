package io.jvirt.api;

import java.util.List;

/**
 * One entry of {@code virDomainInterfaceAddresses}: an interface's name (the host-side device for ARP and lease
 * sources), its MAC address (or null) and its addresses.
 */
public record DomainInterface(String name, String hwaddr, List<Address> addrs) {
    public DomainInterface {
        addrs = List.copyOf(addrs);
    }

    /** {@code virDomainIPAddress}; {@code type} is {@code virIPAddrType}: 0 IPv4, 1 IPv6. */
    public record Address(int type, String addr, int prefix) {
        public static final int IPV4 = 0;
        public static final int IPV6 = 1;
    }
}
