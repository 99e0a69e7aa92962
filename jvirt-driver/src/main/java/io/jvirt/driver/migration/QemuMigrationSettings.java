package io.jvirt.driver.migration;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.migration.MigrationOptions.Side;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one side of a migration sets in its QEMU before the migration starts: capabilities for
 * {@code migrate-set-capabilities} and parameters for {@code migrate-set-parameters}, derived from
 * {@link MigrationOptions} as libvirt's QEMU driver derives them, for QEMU 10.
 *
 * <p>Capabilities come in two kinds. {@link #requestedCapabilities()} follow from the flags and parameters: QEMU must
 * have each of them ({@link #requireSupported}). {@link #alwaysOnCapabilities()} are switched on whenever QEMU has
 * them, as libvirt 11.3 does: {@code late-block-activate} on the destination (its disks stay inactive until the
 * guest resumes there), and {@code switchover-ack} on both sides. {@code switchover-ack} makes the source wait for the
 * destination's go-ahead before switching over, so it is enabled only when the peer said (in the migration cookie's
 * capabilities) that its QEMU has it: a source waiting for an ack the destination never sends would never finish.
 * It also needs {@code return-path}, so tunnelled migrations go without it. {@code pause-before-switchover} is
 * requested on the source of a storage migration, so that its disk mirrors complete while the vCPUs are stopped
 * and disk and memory switch over together (libvirt enables it on every source; jvirt only where it is needed,
 * since every migration with it stops in {@code pre-switchover} until {@code migrate-continue}).
 *
 * <p>{@code max-bandwidth} is always set on the source, because QEMU's own default caps a migration at 128 MiB/s.
 * {@code downtime-limit} is never touched here. Parameter values are Integer, Long, String, or BigInteger for an
 * unsigned value above {@link Long#MAX_VALUE}.
 *
 * <p>Immutable; any thread.
 *
 * @param side                  which side these settings are for
 * @param requestedCapabilities capabilities the migration needs switched on; refused if QEMU lacks one
 * @param alwaysOnCapabilities  capabilities switched on when QEMU has them
 * @param parameters            QMP parameter names to values, for {@code migrate-set-parameters}
 */
public record QemuMigrationSettings(
        Side side,
        Set<String> requestedCapabilities,
        Set<String> alwaysOnCapabilities,
        Map<String, Object> parameters) {
    public static final String XBZRLE = "xbzrle";
    public static final String AUTO_CONVERGE = "auto-converge";
    public static final String RDMA_PIN_ALL = "rdma-pin-all";
    public static final String EVENTS = "events";
    public static final String POSTCOPY_RAM = "postcopy-ram";
    /** QEMU's old multithreaded compression; QEMU 10 no longer has it, so asking for it fails the capability check. */
    public static final String COMPRESS = "compress";

    public static final String PAUSE_BEFORE_SWITCHOVER = "pause-before-switchover";
    public static final String LATE_BLOCK_ACTIVATE = "late-block-activate";
    public static final String MULTIFD = "multifd";
    public static final String DIRTY_BITMAPS = "dirty-bitmaps";
    public static final String RETURN_PATH = "return-path";
    public static final String ZERO_COPY_SEND = "zero-copy-send";
    public static final String SWITCHOVER_ACK = "switchover-ack";

    /** The capabilities jvirt manages, in the order it sends them (libvirt's, plus switchover-ack). */
    public static final List<String> MANAGED_CAPABILITIES = List.of(
            XBZRLE,
            AUTO_CONVERGE,
            RDMA_PIN_ALL,
            EVENTS,
            POSTCOPY_RAM,
            COMPRESS,
            PAUSE_BEFORE_SWITCHOVER,
            LATE_BLOCK_ACTIVATE,
            MULTIFD,
            DIRTY_BITMAPS,
            RETURN_PATH,
            ZERO_COPY_SEND,
            SWITCHOVER_ACK);

    public static final String MAX_BANDWIDTH = "max-bandwidth";
    public static final String MAX_POSTCOPY_BANDWIDTH = "max-postcopy-bandwidth";
    public static final String XBZRLE_CACHE_SIZE = "xbzrle-cache-size";
    public static final String CPU_THROTTLE_INITIAL = "cpu-throttle-initial";
    public static final String CPU_THROTTLE_INCREMENT = "cpu-throttle-increment";
    public static final String MULTIFD_CHANNELS = "multifd-channels";
    /** QEMU's multifd-channels when nobody sets it. */
    public static final int DEFAULT_MULTIFD_CHANNELS = 2;

    public static final String MULTIFD_COMPRESSION = "multifd-compression";
    public static final String MULTIFD_ZLIB_LEVEL = "multifd-zlib-level";
    public static final String MULTIFD_ZSTD_LEVEL = "multifd-zstd-level";
    public static final String TLS_CREDS = "tls-creds";
    public static final String TLS_HOSTNAME = "tls-hostname";

    /** Every parameter name {@link #of} can emit. */
    public static final List<String> PARAMETER_NAMES = List.of(
            MAX_BANDWIDTH,
            MAX_POSTCOPY_BANDWIDTH,
            XBZRLE_CACHE_SIZE,
            CPU_THROTTLE_INITIAL,
            CPU_THROTTLE_INCREMENT,
            MULTIFD_CHANNELS,
            MULTIFD_COMPRESSION,
            MULTIFD_ZLIB_LEVEL,
            MULTIFD_ZSTD_LEVEL,
            TLS_CREDS,
            TLS_HOSTNAME);

    /** libvirt's "unlimited" bandwidth, 8796093022207 MiB/s (INT64_MAX / 1 MiB); QEMU 10 accepts its bytes/s. */
    public static final long UNLIMITED_BANDWIDTH_MIBPS = MigrationOptionsParser.MAX_BANDWIDTH_MIBPS;

    private static final long MIB = 1024 * 1024;

    public QemuMigrationSettings {
        requestedCapabilities = Collections.unmodifiableSet(new LinkedHashSet<>(requestedCapabilities));
        alwaysOnCapabilities = Collections.unmodifiableSet(new LinkedHashSet<>(alwaysOnCapabilities));
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** As {@link #of(MigrationOptions, Side, long, Set)} with a peer that reported no capabilities. */
    public static QemuMigrationSettings of(MigrationOptions options, Side side, long domainMaxSpeedMiBps) {
        return of(options, side, domainMaxSpeedMiBps, Set.of());
    }

    /**
     * The settings for {@code side}.
     *
     * @param domainMaxSpeedMiBps the domain's own migration speed limit ({@code migrate-setspeed}), used on the source
     *                            when the call gave no {@code bandwidth}; 0, or anything above
     *                            {@link #UNLIMITED_BANDWIDTH_MIBPS} read unsigned, means unlimited
     * @param peerCapabilities    on the destination, the capabilities the source's cookie lists; on the source, those
     *                            the destination's cookie says it switched on by itself ({@code auto='yes'})
     */
    public static QemuMigrationSettings of(
            MigrationOptions options, Side side, long domainMaxSpeedMiBps, Set<String> peerCapabilities) {
        return new QemuMigrationSettings(
                side,
                requested(options, side),
                alwaysOn(options, side, peerCapabilities),
                parameters(options, side, domainMaxSpeedMiBps));
    }

    /** The capabilities a side switches on by itself when QEMU has them, before the peer's answer is known. */
    public static Set<String> alwaysOnCandidates(Side side) {
        return side == Side.DESTINATION ? Set.of(LATE_BLOCK_ACTIVATE, SWITCHOVER_ACK) : Set.of(SWITCHOVER_ACK);
    }

    private static Set<String> requested(MigrationOptions o, Side side) {
        boolean source = side == Side.SOURCE;
        Set<String> caps = new LinkedHashSet<>();
        // libvirt switches events on once per QEMU process; keeping it in every set keeps it on across resets too.
        caps.add(EVENTS);
        if (o.compression().contains(CompressionMethod.XBZRLE)) {
            caps.add(XBZRLE);
        }
        if (o.compression().contains(CompressionMethod.MT)) {
            caps.add(COMPRESS);
        }
        if (source && o.autoConverge()) {
            caps.add(AUTO_CONVERGE);
        }
        if (o.postcopy()) {
            caps.add(POSTCOPY_RAM);
        }
        if (o.parallel()) {
            caps.add(MULTIFD);
        }
        if (!o.tunnelled()) {
            caps.add(RETURN_PATH);
        }
        if (source && o.zeroCopy()) {
            caps.add(ZERO_COPY_SEND);
        }
        if (source && o.copiesStorage()) {
            caps.add(PAUSE_BEFORE_SWITCHOVER);
        }
        return caps;
    }

    private static Set<String> alwaysOn(MigrationOptions o, Side side, Set<String> peerCapabilities) {
        Set<String> caps = new LinkedHashSet<>();
        if (side == Side.DESTINATION) {
            caps.add(LATE_BLOCK_ACTIVATE);
        }
        if (!o.tunnelled() && peerCapabilities.contains(SWITCHOVER_ACK)) {
            caps.add(SWITCHOVER_ACK);
        }
        return caps;
    }

    private static Map<String, Object> parameters(MigrationOptions o, Side side, long domainMaxSpeedMiBps) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (side == Side.SOURCE) {
            p.put(MAX_BANDWIDTH, effectiveBandwidthMiBps(o, domainMaxSpeedMiBps) * MIB);
            putIfSet(p, CPU_THROTTLE_INITIAL, o.autoConvergeInitial());
            putIfSet(p, CPU_THROTTLE_INCREMENT, o.autoConvergeIncrement());
        }
        if (o.xbzrleCacheBytes() != null) {
            p.put(XBZRLE_CACHE_SIZE, unsigned(o.xbzrleCacheBytes()));
        }
        if (o.postcopyBandwidthMiBps() != null) {
            p.put(MAX_POSTCOPY_BANDWIDTH, unsigned(o.postcopyBandwidthMiBps() * MIB));
        }
        if (o.parallel()) {
            putIfSet(p, MULTIFD_CHANNELS, o.parallelConnections());
            // Always explicit, so a method left behind by an earlier run cannot leak into this one; both sides
            // must agree on it.
            CompressionMethod method = o.multifdCompression();
            p.put(MULTIFD_COMPRESSION, method == null ? "none" : method.paramValue());
            putIfSet(p, MULTIFD_ZLIB_LEVEL, o.zlibLevel());
            putIfSet(p, MULTIFD_ZSTD_LEVEL, o.zstdLevel());
        }
        // TLS is off: clear credentials an earlier user of this QEMU might have set, as libvirt does.
        p.put(TLS_CREDS, "");
        if (side == Side.SOURCE) {
            p.put(TLS_HOSTNAME, "");
        }
        return p;
    }

    /**
     * These settings with QEMU's own TLS on: {@code tls-creds} names the credentials object {@link MigrationTls}
     * added, {@code tls-hostname} is the name the source checks the destination's certificate against ("" on the
     * destination, and where QEMU takes it from the URI).
     */
    public QemuMigrationSettings withTls(String hostname) {
        Map<String, Object> p = new LinkedHashMap<>(parameters);
        p.put(TLS_CREDS, MigrationTls.ALIAS);
        p.put(TLS_HOSTNAME, hostname == null ? "" : hostname);
        return new QemuMigrationSettings(side, requestedCapabilities, alwaysOnCapabilities, p);
    }

    /** The call's bandwidth, else the domain's limit, else unlimited; in MiB/s. */
    static long effectiveBandwidthMiBps(MigrationOptions o, long domainMaxSpeedMiBps) {
        if (o.bandwidthMiBps() != null && o.bandwidthMiBps() != 0) {
            return Math.min(o.bandwidthMiBps(), UNLIMITED_BANDWIDTH_MIBPS);
        }
        if (domainMaxSpeedMiBps == 0 || Long.compareUnsigned(domainMaxSpeedMiBps, UNLIMITED_BANDWIDTH_MIBPS) > 0) {
            return UNLIMITED_BANDWIDTH_MIBPS;
        }
        return domainMaxSpeedMiBps;
    }

    private static void putIfSet(Map<String, Object> p, String name, Integer value) {
        if (value != null) {
            p.put(name, value);
        }
    }

    private static Object unsigned(long value) {
        return value >= 0 ? (Object) value : new BigInteger(Long.toUnsignedString(value));
    }

    /**
     * Refuses a requested capability the QEMU binary does not list, in {@link #MANAGED_CAPABILITIES} order.
     *
     * @param qemuCaps the answer of {@code query-migrate-capabilities} (name to current state)
     * @throws VirtException ARGUMENT_UNSUPPORTED "Migration option 'X' is not supported by QEMU binary"
     */
    public void requireSupported(Map<String, Boolean> qemuCaps) {
        for (String cap : MANAGED_CAPABILITIES) {
            if (requestedCapabilities.contains(cap) && !qemuCaps.containsKey(cap)) {
                throw VirtException.of(
                        ErrorCode.ARGUMENT_UNSUPPORTED,
                        ErrorDomain.QEMU,
                        "Migration option '" + cap + "' is not supported by QEMU binary");
            }
        }
    }

    /**
     * The argument of {@code migrate-set-capabilities}: every managed capability QEMU lists, explicitly on or off,
     * so nothing an earlier migration left switched on survives. Checks {@link #requireSupported} first.
     */
    public Map<String, Boolean> capabilities(Map<String, Boolean> qemuCaps) {
        requireSupported(qemuCaps);
        Map<String, Boolean> caps = new LinkedHashMap<>();
        for (String cap : MANAGED_CAPABILITIES) {
            if (qemuCaps.containsKey(cap)) {
                caps.put(cap, requestedCapabilities.contains(cap) || alwaysOnCapabilities.contains(cap));
            }
        }
        return caps;
    }

    /**
     * The {@code migrate-set-capabilities} argument that ends a migration (finished, failed or cancelled): every
     * managed capability QEMU lists switched off, except {@code events}, which stays on for the life of the process.
     */
    public static Map<String, Boolean> reset(Map<String, Boolean> qemuCaps) {
        Map<String, Boolean> caps = new LinkedHashMap<>();
        for (String cap : MANAGED_CAPABILITIES) {
            if (qemuCaps.containsKey(cap)) {
                caps.put(cap, cap.equals(EVENTS));
            }
        }
        return caps;
    }

    /**
     * The {@code migrate-set-parameters} argument that puts back what {@link #of} changed: of the values
     * {@code query-migrate-parameters} returned before the migration, those whose names are in
     * {@link #PARAMETER_NAMES}. Everything else QEMU reports is left alone, as it was never changed.
     */
    public static Map<String, Object> restorable(Map<String, Object> originals) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (String name : PARAMETER_NAMES) {
            Object value = originals.get(name);
            if (value != null) {
                p.put(name, value);
            }
        }
        return p;
    }
}
