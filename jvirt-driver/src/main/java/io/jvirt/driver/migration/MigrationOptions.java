package io.jvirt.driver.migration;

import io.jvirt.api.MigrateFlags;
import io.jvirt.api.TypedParam;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The flags and typed parameters of one migration call, checked the way libvirt's QEMU driver checks them (see
 * {@link #parse}). Optional values are null when the caller did not give them; sizes are those of the typed
 * parameters: bandwidths in MiB/s and the xbzrle cache in bytes, both unsigned (a {@code long} holding a value above
 * {@link Long#MAX_VALUE} is read as unsigned).
 *
 * <p>Immutable; any thread.
 *
 * @param flags                  {@code virDomainMigrateFlags}
 * @param uri                    {@code migrate_uri}
 * @param destinationName        {@code destination_name}
 * @param destinationXml         {@code destination_xml}
 * @param persistentXml          {@code persistent_xml}
 * @param bandwidthMiBps         {@code bandwidth}; null when absent or 0 (libvirt treats 0 as "not given")
 * @param postcopyBandwidthMiBps {@code bandwidth.postcopy}
 * @param graphicsUri            {@code graphics_uri}
 * @param listenAddress          {@code listen_address}
 * @param migrateDisks           {@code migrate_disks}, in the order given (empty when absent)
 * @param disksPort              {@code disks_port}
 * @param disksUri               {@code disks_uri}
 * @param compression            the compression methods in effect: the {@code compression} values, or xbzrle when
 *                               only the COMPRESSED flag asked for compression (empty when none)
 * @param mtLevel                {@code compression.mt.level}
 * @param mtThreads              {@code compression.mt.threads}
 * @param mtDecompressThreads    {@code compression.mt.dthreads}
 * @param xbzrleCacheBytes       {@code compression.xbzrle.cache}
 * @param zlibLevel              {@code compression.zlib.level} (0–9)
 * @param zstdLevel              {@code compression.zstd.level} (0–20)
 * @param autoConvergeInitial    {@code auto_converge.initial} (source only; null on the destination)
 * @param autoConvergeIncrement  {@code auto_converge.increment} (source only; null on the destination)
 * @param parallelConnections    {@code parallel.connections}
 * @param tlsDestination         {@code tls.destination} (source only; null on the destination)
 */
public record MigrationOptions(
        long flags,
        String uri,
        String destinationName,
        String destinationXml,
        String persistentXml,
        Long bandwidthMiBps,
        Long postcopyBandwidthMiBps,
        String graphicsUri,
        String listenAddress,
        List<String> migrateDisks,
        Integer disksPort,
        String disksUri,
        Set<CompressionMethod> compression,
        Integer mtLevel,
        Integer mtThreads,
        Integer mtDecompressThreads,
        Long xbzrleCacheBytes,
        Integer zlibLevel,
        Integer zstdLevel,
        Integer autoConvergeInitial,
        Integer autoConvergeIncrement,
        Integer parallelConnections,
        String tlsDestination) {

    /** Which end of the migration parses the call: libvirt checks some things on one side only. */
    public enum Side {
        /** Begin/Perform: the host the domain leaves. */
        SOURCE,
        /** Prepare/Finish: the host the domain arrives on. */
        DESTINATION
    }

    public MigrationOptions {
        migrateDisks = migrateDisks == null ? List.of() : List.copyOf(migrateDisks);
        compression = compression == null || compression.isEmpty()
                ? Collections.unmodifiableSet(EnumSet.noneOf(CompressionMethod.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(compression));
    }

    /**
     * Validates {@code flags} and {@code params} as libvirt does for the given side and returns the parsed options.
     *
     * @throws io.jvirt.api.VirtException with libvirt's code for the first refused flag, parameter or combination
     */
    public static MigrationOptions parse(List<TypedParam> params, long flags, Side side) {
        return MigrationOptionsParser.parse(params, flags, side, false);
    }

    /**
     * As {@link #parse(List, long, Side)}; with {@code storageThroughTunnel} the source takes storage migration
     * with TUNNELLED (the destination is a jvirt that carries NBD through the tunnel), which is otherwise refused
     * with libvirt's error.
     */
    public static MigrationOptions parse(List<TypedParam> params, long flags, Side side, boolean storageThroughTunnel) {
        return MigrationOptionsParser.parse(params, flags, side, storageThroughTunnel);
    }

    /** True when every bit of {@code flag} is set. */
    public boolean has(long flag) {
        return MigrateFlags.has(flags, flag);
    }

    public boolean live() {
        return has(MigrateFlags.LIVE);
    }

    public boolean peerToPeer() {
        return has(MigrateFlags.PEER2PEER);
    }

    public boolean tunnelled() {
        return has(MigrateFlags.TUNNELLED);
    }

    public boolean persistDest() {
        return has(MigrateFlags.PERSIST_DEST);
    }

    public boolean undefineSource() {
        return has(MigrateFlags.UNDEFINE_SOURCE);
    }

    public boolean paused() {
        return has(MigrateFlags.PAUSED);
    }

    public boolean changeProtection() {
        return has(MigrateFlags.CHANGE_PROTECTION);
    }

    public boolean unsafe() {
        return has(MigrateFlags.UNSAFE);
    }

    public boolean offline() {
        return has(MigrateFlags.OFFLINE);
    }

    public boolean abortOnError() {
        return has(MigrateFlags.ABORT_ON_ERROR);
    }

    public boolean autoConverge() {
        return has(MigrateFlags.AUTO_CONVERGE);
    }

    public boolean postcopy() {
        return has(MigrateFlags.POSTCOPY);
    }

    /** Storage migration: NON_SHARED_DISK (every disk whole) or NON_SHARED_INC (the top images). */
    public boolean copiesStorage() {
        return (flags & (MigrateFlags.NON_SHARED_DISK | MigrateFlags.NON_SHARED_INC)) != 0;
    }

    /** NON_SHARED_INC: only the top image of each disk is copied; the backing files are shared. */
    public boolean copiesTopOnly() {
        return has(MigrateFlags.NON_SHARED_INC);
    }

    /** NON_SHARED_SYNCHRONOUS_WRITES: the guest's disk writes wait for the destination during the copy. */
    public boolean synchronousWrites() {
        return has(MigrateFlags.NON_SHARED_SYNCHRONOUS_WRITES);
    }

    /** VIR_MIGRATE_TLS: QEMU encrypts the migration (and the storage's NBD connections) with its own TLS. */
    public boolean tls() {
        return has(MigrateFlags.TLS);
    }

    public boolean parallel() {
        return has(MigrateFlags.PARALLEL);
    }

    public boolean zeroCopy() {
        return has(MigrateFlags.ZEROCOPY);
    }

    /** True when any compression method is in effect (given explicitly or implied by the COMPRESSED flag). */
    public boolean compressed() {
        return !compression.isEmpty();
    }

    /** The multifd compression in effect (zlib or zstd), or null for none. */
    public CompressionMethod multifdCompression() {
        for (CompressionMethod m : compression) {
            if (m.multifd()) {
                return m;
            }
        }
        return null;
    }
}
