package io.jvirt.api;

/**
 * {@code virDomainInterfaceStatsStruct}: traffic counters of one interface as the guest sees it (received is what
 * reached the guest); -1 for a counter the driver does not know.
 */
public record InterfaceStats(
        long rxBytes,
        long rxPackets,
        long rxErrs,
        long rxDrop,
        long txBytes,
        long txPackets,
        long txErrs,
        long txDrop) {}
