package io.jvirt.daemon;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.InterfaceAddressSource;
import io.jvirt.api.VirtException;
import io.jvirt.api.XmlFlags;

/**
 * The read-only checks libvirt makes inside procedures a read-only client may otherwise call: a flag or argument
 * that would reveal secrets or reach into the guest turns the call into one only a read-write client may make.
 * Past advisories came from such flags (CVE-2014-7823: MIGRATABLE XML carried the VNC password to read-only
 * clients; CVE-2019-3886: guest-agent queries on the read-only socket). Stateless.
 *
 * <p>Threading: the call's own thread.
 */
final class ReadOnlyFlags {
    private ReadOnlyFlags() {}

    /**
     * virDomainGetXMLDesc: SECURE (passwords) and MIGRATABLE (which once implied SECURE) are refused read-only, with
     * libvirt's words; without them the driver leaves the secrets out.
     */
    static void checkXmlDesc(ClientSession client, int flags) {
        if (client.isReadOnly() && (flags & (XmlFlags.SECURE | XmlFlags.MIGRATABLE)) != 0) {
            throw VirtException.of(
                    ErrorCode.OPERATION_DENIED, ErrorDomain.DOMAIN, "virDomainGetXMLDesc with secure flag");
        }
    }

    /** virDomainInterfaceAddresses: asking the guest agent needs write access; the ARP table and leases do not. */
    static void checkInterfaceAddresses(ClientSession client, int source) {
        if (client.isReadOnly() && source == InterfaceAddressSource.AGENT) {
            throw VirtException.of(
                    ErrorCode.OPERATION_DENIED,
                    ErrorDomain.DOMAIN,
                    "read only access prevents virDomainInterfaceAddresses");
        }
    }
}
