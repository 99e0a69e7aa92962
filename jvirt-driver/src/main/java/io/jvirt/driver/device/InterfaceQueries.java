package io.jvirt.driver.device;

import io.jvirt.api.DomainInterface;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.InterfaceAddressSource;
import io.jvirt.api.InterfaceStats;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.config.InterfaceDef;
import io.jvirt.config.InterfaceType;
import io.jvirt.driver.domain.DomainObj;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code virDomainInterfaceStats} and {@code virDomainInterfaceAddresses}: the counters of an interface's host
 * device (a tap, whose receive is the guest's transmit) and the addresses the host's ARP table holds for the
 * interfaces' MACs. A user-mode interface has no host device, so it has no counters and no ARP entries, as in
 * libvirt.
 *
 * <p>Threading: the caller's thread; reads the domain under its lock and the host's /proc files.
 */
public final class InterfaceQueries {
    private static final Path PROC_NET_DEV = Path.of("/proc/net/dev");
    private static final Path PROC_NET_ARP = Path.of("/proc/net/arp");

    private InterfaceQueries() {}

    /** The counters of the interface named by its host device or MAC, as the guest sees them. */
    public static InterfaceStats stats(DomainObj dom, String device) {
        dom.requireRun();
        DomainDef live = dom.liveDef();
        InterfaceDef nic = find(live, device);
        if (nic == null) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, "'" + device + "' is not a known interface");
        }
        String ifname = hostDevice(nic);
        InterfaceStats stats = ifname == null ? null : HostNetFiles.counters(read(PROC_NET_DEV), ifname, true);
        if (stats == null) {
            throw VirtException.of(ErrorCode.INTERNAL_ERROR, ErrorDomain.NONE, "/proc/net/dev: Interface not found");
        }
        return stats;
    }

    /**
     * The interfaces' addresses from {@code source}: ARP reads the host's table; LEASE finds none, since only
     * interfaces on a libvirt network have leases and jvirt has no such networks; AGENT needs a guest agent,
     * which jvirt does not configure.
     */
    public static List<DomainInterface> addresses(DomainObj dom, int source, int flags) {
        if (flags != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "unsupported flags (0x" + Integer.toHexString(flags)
                            + ") in function qemuDomainInterfaceAddresses");
        }
        dom.requireRun();
        return switch (source) {
            case InterfaceAddressSource.LEASE -> List.of();
            case InterfaceAddressSource.AGENT ->
                throw VirtException.of(
                        ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.QEMU, "QEMU guest agent is not configured");
            case InterfaceAddressSource.ARP -> arp(dom.liveDef(), HostNetFiles.arp(read(PROC_NET_ARP)));
            default ->
                throw VirtException.of(
                        ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.QEMU, "Unknown IP address data source " + source);
        };
    }

    /** One entry per interface with ARP entries for its MAC, named after its host device (else its alias). */
    static List<DomainInterface> arp(DomainDef live, List<HostNetFiles.ArpEntry> table) {
        List<DomainInterface> out = new ArrayList<>();
        for (InterfaceDef nic : live.interfaces()) {
            List<DomainInterface.Address> addrs = table.stream()
                    .filter(e -> e.mac().equals(nic.mac()))
                    .map(e -> new DomainInterface.Address(DomainInterface.Address.IPV4, e.ip(), 0))
                    .toList();
            if (!addrs.isEmpty()) {
                String name = hostDevice(nic) != null ? hostDevice(nic) : nic.alias();
                out.add(new DomainInterface(name, nic.mac(), addrs));
            }
        }
        return out;
    }

    /** The interface {@code device} names: its host device, or its MAC in any case. */
    static InterfaceDef find(DomainDef def, String device) {
        String mac = device.toLowerCase(Locale.ROOT);
        for (InterfaceDef nic : def.interfaces()) {
            if (nic.mac().equals(mac) || device.equals(hostDevice(nic))) {
                return nic;
            }
        }
        return null;
    }

    /**
     * The host-side network device of {@code nic}: the tap of a bridge or ethernet NIC ({@code <target dev>} of the
     * live definition, the name the tap got), or null for user-mode networking, which has none.
     */
    static String hostDevice(InterfaceDef nic) {
        return nic.type() == InterfaceType.USER ? null : nic.targetDev();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR, ErrorDomain.NONE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
