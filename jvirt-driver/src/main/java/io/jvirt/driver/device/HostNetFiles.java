package io.jvirt.driver.device;

import io.jvirt.api.InterfaceStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the host's {@code /proc/net/dev} (traffic counters per network device) and {@code /proc/net/arp} (the
 * neighbour table), as libvirt does for {@code domifstat} and {@code domifaddr --source arp}. Parsing only; the
 * caller reads the files. Stateless.
 */
final class HostNetFiles {
    /** One complete entry of the ARP table: an IPv4 address and the MAC it resolved to, lower case. */
    record ArpEntry(String ip, String mac) {}

    private HostNetFiles() {}

    /**
     * The counters of {@code ifname} in {@code procNetDev}, or null. With {@code swapped} (a tap: what the host
     * device receives is what the guest sent) receive and transmit change places, so the guest's view comes out.
     */
    static InterfaceStats counters(String procNetDev, String ifname, boolean swapped) {
        for (String line : procNetDev.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).strip().equals(ifname)) {
                continue;
            }
            String[] f = line.substring(colon + 1).strip().split("\\s+");
            if (f.length < 12) {
                return null;
            }
            long[] n = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                n[i] = Long.parseLong(f[i]);
            }
            // receive: bytes packets errs drop fifo frame compressed multicast; transmit: bytes packets errs drop …
            InterfaceStats host = new InterfaceStats(n[0], n[1], n[2], n[3], n[8], n[9], n[10], n[11]);
            return swapped
                    ? new InterfaceStats(
                            host.txBytes(),
                            host.txPackets(),
                            host.txErrs(),
                            host.txDrop(),
                            host.rxBytes(),
                            host.rxPackets(),
                            host.rxErrs(),
                            host.rxDrop())
                    : host;
        }
        return null;
    }

    /** The resolved entries of {@code procNetArp} (incomplete ones, flags 0x0 or an all-zero MAC, are left out). */
    static List<ArpEntry> arp(String procNetArp) {
        List<ArpEntry> out = new ArrayList<>();
        for (String line : procNetArp.lines().skip(1).toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 4 || f[2].equals("0x0") || f[3].equals("00:00:00:00:00:00")) {
                continue;
            }
            out.add(new ArpEntry(f[0], f[3].toLowerCase(Locale.ROOT)));
        }
        return out;
    }
}
