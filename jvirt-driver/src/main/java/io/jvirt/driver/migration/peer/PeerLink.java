package io.jvirt.driver.migration.peer;

import io.jvirt.api.Connection;
import io.jvirt.api.Connections;
import io.jvirt.api.DriverFeature;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.root.MigrationSettings;

/**
 * The source daemon's own connection to the destination of a peer-to-peer migration. It tells when that
 * connection is lost: the remote client answers {@link Connection#isAlive()} from its socket and keepalive, so a
 * dead or unreachable peer is noticed within the keepalive window (interval × (count + 1), set by the URI's
 * {@code keepalive_interval}/{@code keepalive_count}); the embedded driver is never lost.
 *
 * <p>Threading: {@link #lost()} may be called from any thread.
 */
final class PeerLink implements AutoCloseable {
    private final String uri;
    private final Connection connection;

    private PeerLink(String uri, Connection connection) {
        this.uri = uri;
        this.connection = connection;
    }

    /** Opens {@code dconnuri}, as libvirt words a failure: "Failed to connect to remote libvirt URI …". */
    static PeerLink open(String dconnuri, MigrationSettings settings) {
        Connection c;
        try {
            c = Connections.open(withKeepalive(dconnuri, settings));
        } catch (VirtException e) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.QEMU,
                    "Failed to connect to remote libvirt URI " + dconnuri + ": " + e.getMessage(),
                    e);
        }
        return new PeerLink(dconnuri, c);
    }

    /**
     * {@code dconnuri} with the configured keepalive (libvirt's qemu.conf keepalive_interval/count for p2p) unless
     * it names its own; in-process URIs, which have no connection to keep alive, stay as they are.
     */
    static String withKeepalive(String dconnuri, MigrationSettings settings) {
        String scheme = dconnuri.contains(":") ? dconnuri.substring(0, dconnuri.indexOf(':')) : "";
        if (!scheme.contains("+") || dconnuri.contains("keepalive_interval=")) {
            return dconnuri;
        }
        return dconnuri + (dconnuri.contains("?") ? "&" : "?") + "keepalive_interval=" + settings.keepaliveInterval()
                + "&keepalive_count=" + settings.keepaliveCount();
    }

    Connection connection() {
        return connection;
    }

    /** The destination's URI as the caller gave it (v2's Finish2 is told it when a tunnel left no migration URI). */
    String uri() {
        return uri;
    }

    /**
     * Whether the destination is a driver in this process ({@code qemu:///embed}): it has no connection whose
     * reader one stream could hold up, and its root cannot be opened a second time here.
     */
    boolean inProcess() {
        return uri.startsWith("qemu:///embed");
    }

    /** Refuses a destination that cannot take part at all, as libvirt's first check does. */
    void requirePeerToPeer() {
        if (!connection.supportsFeature(DriverFeature.MIGRATION_P2P)) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.QEMU,
                    "Destination libvirt does not support peer-to-peer migration protocol");
        }
    }

    /**
     * Whether the destination takes v3 with typed parameters (it announces MIGRATION_V3 and MIGRATION_PARAMS);
     * otherwise the migration uses v2. libvirt would use v3's older fixed-argument calls for a destination with V3
     * but without PARAMS; jvirt has no client for those, and a destination that old speaks v2 as well.
     */
    boolean takesVersion3Params() {
        return connection.supportsFeature(DriverFeature.MIGRATION_V3)
                && connection.supportsFeature(DriverFeature.MIGRATION_PARAMS);
    }

    /** Non-null once the connection is gone: libvirt's "Lost connection to destination host". */
    VirtException lost() {
        return connection.isAlive()
                ? null
                : VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "Lost connection to destination host");
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (Exception ignored) {
            // a lost peer cannot be closed politely; the migration's own error says what happened
        }
    }
}
