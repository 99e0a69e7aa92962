package io.jvirt.daemon;

import io.jvirt.api.Connection;

/**
 * What every client session shares: the driver connection, the dispatch table, the event fan-out, the
 * per-client limits, and whether migration v3 is served ({@link DaemonConfig#migrationV2Only()} turns it off).
 * Immutable; safe for all threads.
 */
record DaemonContext(
        Connection driver,
        DispatchTable table,
        EventFanout fanout,
        int keepaliveInterval,
        int keepaliveCount,
        int maxClientRequests,
        boolean migrationV3) {

    static DaemonContext of(Connection driver, DaemonConfig config) {
        return new DaemonContext(
                driver,
                DispatchTable.standard(),
                new EventFanout(driver),
                config.keepaliveInterval(),
                config.keepaliveCount(),
                config.maxClientRequests(),
                !config.migrationV2Only());
    }
}
