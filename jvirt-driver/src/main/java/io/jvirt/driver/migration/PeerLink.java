package io.jvirt.driver.migration;

import io.jvirt.api.Connection;
import io.jvirt.api.Connections;
import io.jvirt.api.DriverFeature;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The source daemon's own connection to the destination of a peer-to-peer migration. It tells when that
 * connection is lost: the remote client ({@code RemoteConnection}) answers {@code isAlive()} from its socket and
 * keepalive, so a dead or unreachable peer is noticed within the keepalive window (interval × (count + 1), set by
 * the URI's {@code keepalive_interval}/{@code keepalive_count}). The driver does not depend on the remote client,
 * so that method is looked up by name; a connection without one (the embedded driver) never gets lost.
 *
 * <p>Threading: {@link #lost()} may be called from any thread.
 */
final class PeerLink implements AutoCloseable {
    private static final MethodType IS_ALIVE = MethodType.methodType(boolean.class);

    private final String uri;
    private final Connection connection;
    private final MethodHandle isAlive;

    private PeerLink(String uri, Connection connection, MethodHandle isAlive) {
        this.uri = uri;
        this.connection = connection;
        this.isAlive = isAlive;
    }

    /** Opens {@code dconnuri}, as libvirt words a failure: "Failed to connect to remote libvirt URI …". */
    static PeerLink open(String dconnuri) {
        Connection c;
        try {
            c = Connections.open(dconnuri);
        } catch (VirtException e) {
            throw VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                    "Failed to connect to remote libvirt URI " + dconnuri + ": " + e.getMessage(), e);
        }
        MethodHandle alive;
        try {
            alive = MethodHandles.publicLookup().findVirtual(c.getClass(), "isAlive", IS_ALIVE);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            alive = null;
        }
        return new PeerLink(dconnuri, c, alive);
    }

    Connection connection() {
        return connection;
    }

    /** Refuses a destination that cannot take part: libvirt's checks for P2P, then v3 (v2 is not done here). */
    void requireVersion3() {
        if (!connection.supportsFeature(DriverFeature.MIGRATION_P2P)) {
            throw VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                    "Destination libvirt does not support peer-to-peer migration protocol");
        }
        if (!connection.supportsFeature(DriverFeature.MIGRATION_V3)
                || !connection.supportsFeature(DriverFeature.MIGRATION_PARAMS)) {
            throw VirtException.of(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.QEMU,
                    "destination " + uri + " lacks migration v3 with parameters; p2p over v2 is not implemented");
        }
    }

    /** Non-null once the connection is gone: libvirt's "Lost connection to destination host". */
    VirtException lost() {
        if (isAlive == null) {
            return null;
        }
        boolean alive;
        try {
            alive = (boolean) isAlive.invoke(connection);
        } catch (Throwable e) {
            alive = false;
        }
        return alive ? null : VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                "Lost connection to destination host");
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
