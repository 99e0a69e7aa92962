package io.jvirt.daemon;

import io.jvirt.api.Connection;

/**
 * What every client session shares: the driver connection, the dispatch table, the event fan-out and the
 * per-client limits. Immutable; safe for all threads.
 */
record DaemonContext(Connection driver, DispatchTable table, EventFanout fanout, int keepaliveInterval,
                     int keepaliveCount, int maxClientRequests) {

    static DaemonContext of(Connection driver, DaemonConfig config) {
        return new DaemonContext(driver, DispatchTable.standard(), new EventFanout(driver),
                config.keepaliveInterval(), config.keepaliveCount(), config.maxClientRequests());
    }
}
