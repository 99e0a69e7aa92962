package io.jvirt.api;

import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.Objects;

/**
 * The migration protocol's phase calls, driver to driver: Begin, Perform and Confirm on the source, Prepare and
 * Finish on the destination (v3), and v2's Prepare, Perform and Finish. This is not API for applications: it
 * mirrors libvirt's internal header ({@code libvirt_internal.h}), which keeps the {@code virDomainMigrate*3Params}
 * phases out of the public API. Applications migrate with {@link DomainMigration}, which drives these phases (as
 * {@code virDomainMigrate3} does), and tune a running migration through {@link Connection}'s public migration
 * calls ({@code migrateSetMaxSpeed}, {@code migrateStartPostCopy}…).
 *
 * <p>Users: the client-managed orchestration ({@link DomainMigration}), a peer-to-peer source driving its
 * destination, and the daemon dispatching the phase procedures to its driver. Connections that can take part in a
 * migration (the embedded driver, the remote client) implement this interface next to {@link Connection}; get it
 * from a connection with {@link #of(Connection)}. Which protocol a connection speaks is asked through
 * {@link Connection#supportsFeature} ({@link DriverFeature#MIGRATION_V3} and the rest), as before.
 *
 * <p>A call an implementation does not serve fails with {@link ErrorCode#NO_SUPPORT} naming libvirt's API.
 * Threading as for {@link Connection}.
 */
public interface MigrationPhases {

    /**
     * The phase calls of {@code connection}: the connection itself when it implements them, else a stand-in whose
     * every call fails with {@link ErrorCode#NO_SUPPORT} naming that call's API, as a driver without it answers.
     */
    static MigrationPhases of(Connection connection) {
        Objects.requireNonNull(connection, "connection");
        if (connection instanceof MigrationPhases phases) {
            return phases;
        }
        return new MigrationPhases() {
            @Override
            public String toString() {
                return "MigrationPhases[unsupported by " + connection + "]";
            }
        };
    }

    /**
     * Migration v3, source: checks that {@code domain} can migrate and starts the outgoing job
     * ({@code virDomainMigrateBegin3Params}). {@link MigrateParams} name the parameters, {@link MigrateFlags} the flags.
     */
    default MigrationBegin migrateBegin3(DomainRef domain, List<TypedParam> params, long flags) {
        throw unsupported("virDomainMigrateBegin3Params");
    }

    /** Migration v3, destination: starts QEMU waiting for the incoming state ({@code virDomainMigratePrepare3Params}). */
    default MigrationPrepared migratePrepare3(List<TypedParam> params, String cookie, long flags) {
        throw unsupported("virDomainMigratePrepare3Params");
    }

    /**
     * Migration v3 tunnelled, destination ({@code virDomainMigratePrepareTunnel3Params}): as
     * {@link #migratePrepare3} for a {@link MigrateFlags#TUNNELLED} migration, whose bytes are not sent to a URI
     * but read from {@code data} until its end of stream. The connection reads {@code data} on a thread of its own
     * (the embedded driver feeds them to the new QEMU; a remote connection sends them to its daemon's stream) and
     * closes it once done with it: after reading its end when every byte was delivered, earlier when delivery
     * failed. The caller sees a failed delivery as a close without end of stream, and may close {@code data}
     * itself to give up. The returned URI is null.
     */
    default MigrationPrepared migratePrepareTunnel3(
            List<TypedParam> params, String cookie, long flags, ReadableByteChannel data) {
        throw unsupported("virDomainMigratePrepareTunnel3Params");
    }

    /**
     * jvirt's extension to tunnelled migration, destination: channel {@code channel} (1 and up) of an incoming
     * tunnelled migration prepared with {@link MigrateFlags#PARALLEL}, whose bytes are read from {@code data} as
     * {@link #migratePrepareTunnel3} reads its own (channel 0's): same threading, same closing rules. Only for a
     * peer that announces {@link DriverFeature#JVIRT_TUNNEL_CHANNELS}.
     */
    default void migrateTunnelChannel(String name, int channel, ReadableByteChannel data) {
        throw unsupported("jvirtMigrateTunnelChannel");
    }

    /**
     * jvirt's extension to tunnelled migration, destination: one NBD connection ({@code connection} counts them,
     * for the logs) of the storage copy of the incoming tunnelled migration of {@code name}. The callee connects
     * to its QEMU's NBD server, puts what it reads from {@code toDestination} into it and writes what the server
     * answers into {@code toSource}, on threads of its own; it closes {@code toDestination} as {@link
     * #migratePrepareTunnel3} closes its data, and {@code toSource} once the server's answers end. A remote
     * connection sends the one and receives the other in one stream. Only for a peer that announces {@link
     * DriverFeature#JVIRT_TUNNEL_STORAGE}.
     */
    default void migrateTunnelNbd(
            String name, int connection, ReadableByteChannel toDestination, WritableByteChannel toSource) {
        throw unsupported("jvirtMigrateTunnelNbd");
    }

    /**
     * Migration v3, source: sends the guest's state ({@code virDomainMigratePerform3Params}); with
     * {@link MigrateFlags#PEER2PEER} the source itself drives the destination at {@code dconnuri} through all phases.
     *
     * @return the cookie for Finish
     */
    default String migratePerform3(
            DomainRef domain, String dconnuri, List<TypedParam> params, String cookie, long flags) {
        throw unsupported("virDomainMigratePerform3Params");
    }

    /**
     * Migration v3, destination: runs the guest that arrived, or with {@code cancelled} tears it down
     * ({@code virDomainMigrateFinish3Params}); throws when the guest cannot run here.
     */
    default MigrationFinished migrateFinish3(List<TypedParam> params, String cookie, long flags, boolean cancelled) {
        throw unsupported("virDomainMigrateFinish3Params");
    }

    /**
     * Migration v3, source: ends the outgoing job; the source's QEMU stops (shut off, migrated), or with
     * {@code cancelled} the guest runs on here ({@code virDomainMigrateConfirm3Params}).
     */
    default void migrateConfirm3(
            DomainRef domain, List<TypedParam> params, String cookie, long flags, boolean cancelled) {
        throw unsupported("virDomainMigrateConfirm3Params");
    }

    /** Migration v2, destination ({@code virDomainMigratePrepare2}); returns the URI the source migrates to. */
    default String migratePrepare2(String uri, long flags, String dname, long bandwidthMiBps, String domainXml) {
        throw unsupported("virDomainMigratePrepare2");
    }

    /**
     * Migration v2 tunnelled, destination ({@code virDomainMigratePrepareTunnel}): as {@link #migratePrepare2} for
     * a {@link MigrateFlags#TUNNELLED} peer-to-peer migration, without cookies; the bytes are read from
     * {@code data} as {@link #migratePrepareTunnel3} reads them (same threading, same closing rules).
     */
    default void migratePrepareTunnel(
            long flags, String dname, long bandwidthMiBps, String domainXml, ReadableByteChannel data) {
        throw unsupported("virDomainMigratePrepareTunnel");
    }

    /** Migration v2, source: the whole transfer; on success the source's QEMU is stopped ({@code virDomainMigratePerform}). */
    default void migratePerform2(DomainRef domain, String uri, long flags, String dname, long bandwidthMiBps) {
        throw unsupported("virDomainMigratePerform");
    }

    /** Migration v2, destination ({@code virDomainMigrateFinish2}); {@code cancelled} tears the guest down. */
    default DomainRef migrateFinish2(String dname, String uri, long flags, boolean cancelled) {
        throw unsupported("virDomainMigrateFinish2");
    }

    private static VirtException unsupported(String api) {
        return VirtException.of(ErrorCode.NO_SUPPORT, ErrorDomain.NONE, api);
    }
}
