package io.jvirt.daemon;

import io.jvirt.api.Connection;
import io.jvirt.daemon.observe.CallObserver;
import io.jvirt.daemon.observe.Observability;

/**
 * What every client session shares: the driver connection, the dispatch table, the event fan-out, the
 * per-client limits, whether migration v3 is served ({@link DaemonConfig#migrationV2Only()} turns it off), and
 * the observer of every call (metrics and the migration log).
 * Immutable; safe for all threads.
 */
record DaemonContext(
        Connection driver,
        DispatchTable table,
        EventFanout fanout,
        int keepaliveInterval,
        int keepaliveCount,
        int maxClientRequests,
        boolean migrationV3,
        CallObserver calls) {

    /** A context whose calls nobody observes. */
    static DaemonContext of(Connection driver, DaemonConfig config) {
        return new DaemonContext(
                driver,
                DispatchTable.standard(),
                new EventFanout(driver),
                config.keepaliveInterval(),
                config.keepaliveCount(),
                config.maxClientRequests(),
                !config.migrationV2Only(),
                CallObserver.NONE);
    }

    /** A context whose calls and driver events {@code observers} hear. */
    static DaemonContext of(Connection driver, DaemonConfig config, Observability observers) {
        return new DaemonContext(
                driver,
                DispatchTable.standard(),
                new EventFanout(driver, observers.events()),
                config.keepaliveInterval(),
                config.keepaliveCount(),
                config.maxClientRequests(),
                !config.migrationV2Only(),
                observers.calls());
    }
}
