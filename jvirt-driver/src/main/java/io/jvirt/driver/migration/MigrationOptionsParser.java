package io.jvirt.driver.migration;

import static io.jvirt.api.MigrateFlags.AUTO_CONVERGE;
import static io.jvirt.api.MigrateFlags.COMPRESSED;
import static io.jvirt.api.MigrateFlags.NON_SHARED_DISK;
import static io.jvirt.api.MigrateFlags.NON_SHARED_INC;
import static io.jvirt.api.MigrateFlags.OFFLINE;
import static io.jvirt.api.MigrateFlags.PARALLEL;
import static io.jvirt.api.MigrateFlags.PAUSED;
import static io.jvirt.api.MigrateFlags.PEER2PEER;
import static io.jvirt.api.MigrateFlags.PERSIST_DEST;
import static io.jvirt.api.MigrateFlags.POSTCOPY;
import static io.jvirt.api.MigrateFlags.POSTCOPY_RESUME;
import static io.jvirt.api.MigrateFlags.RDMA_PIN_ALL;
import static io.jvirt.api.MigrateFlags.TUNNELLED;
import static io.jvirt.api.MigrateFlags.ZEROCOPY;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.driver.migration.MigrationOptions.Side;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a migration call's flags and typed parameters into {@link MigrationOptions}, refusing what libvirt's QEMU
 * driver refuses, in its order and with its error codes: flag bits, parameter names/types/repeats, then the checks
 * of the params parsing, of the peer-to-peer source and of the Begin/Prepare phases. What jvirt cannot do yet
 * (RDMA, post-copy recovery) is refused with ARGUMENT_UNSUPPORTED at the point where libvirt
 * would start doing it, so libvirt's own refusals of the same flags still come first.
 *
 * <p>Stateless; any thread.
 */
final class MigrationOptionsParser {
    /** libvirt's {@code QEMU_DOMAIN_MIG_BANDWIDTH_MAX}: INT64_MAX / 1 MiB, so bytes/s still fit QEMU's int64 math. */
    static final long MAX_BANDWIDTH_MIBPS = Long.MAX_VALUE / (1024 * 1024);
    /** ULLONG_MAX / 1 MiB: the largest {@code bandwidth.postcopy} whose bytes/s fit in an unsigned 64-bit value. */
    static final long MAX_POSTCOPY_BANDWIDTH_MIBPS = Long.divideUnsigned(-1L, 1024 * 1024);

    static final int ZLIB_LEVEL_MAX = 9;
    static final int ZSTD_LEVEL_MAX = 20;

    private MigrationOptionsParser() {}

    static MigrationOptions parse(List<TypedParam> given, long flags, Side side, boolean storageThroughTunnel) {
        List<TypedParam> params = given == null ? List.of() : given;
        checkFlagBits(flags, side);
        MigrationOptionsParams.validate(params);
        boolean source = side == Side.SOURCE;

        if (has(flags, NON_SHARED_DISK) && has(flags, NON_SHARED_INC)) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.DOMAIN,
                    "Flags 'VIR_MIGRATE_NON_SHARED_DISK' and 'VIR_MIGRATE_NON_SHARED_INC' are mutually exclusive");
        }
        if (source && has(flags, TUNNELLED) && !has(flags, PEER2PEER)) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.DOMAIN,
                    "cannot perform tunnelled migration without using peer2peer flag");
        }
        if (has(flags, POSTCOPY_RESUME) && !has(flags, POSTCOPY)) {
            throw unsupportedArg("resuming failed post-copy migration requires post-copy to be enabled");
        }

        String uri = MigrationOptionsParams.string(params, MigrateParams.URI);
        String listenAddress = MigrationOptionsParams.string(params, MigrateParams.LISTEN_ADDRESS);
        Integer disksPort = MigrationOptionsParams.integer(params, MigrateParams.DISKS_PORT);
        String disksUri = MigrationOptionsParams.string(params, MigrateParams.DISKS_URI);
        List<String> migrateDisks = MigrationOptionsParams.strings(params, MigrateParams.MIGRATE_DISKS);

        Long bandwidth = null;
        if (source) {
            bandwidth = MigrationOptionsParams.ullong(params, MigrateParams.BANDWIDTH);
            if (bandwidth != null && Long.compareUnsigned(bandwidth, MAX_BANDWIDTH_MIBPS) > 0) {
                throw VirtException.of(
                        ErrorCode.OVERFLOW,
                        ErrorDomain.QEMU,
                        "bandwidth must be less than " + (MAX_BANDWIDTH_MIBPS + 1));
            }
            if (bandwidth != null && bandwidth == 0) {
                bandwidth = null;
            }
        }
        if (disksUri != null && disksPort != null) {
            throw invalidArg("Both port and URI requested for disk migration while being mutually exclusive");
        }
        if (listenAddress != null && uri != null && uri.startsWith("unix:")) {
            throw invalidArg("Usage of listen-address is forbidden when migration URI uses UNIX transport method");
        }
        if (uri != null
                && uri.startsWith("unix:")
                && (flags & (NON_SHARED_DISK | NON_SHARED_INC)) != 0
                && disksUri == null) {
            throw invalidArg("NBD URI must be supplied when migration URI uses UNIX transport method");
        }

        Tuning tuning = tuning(params, flags, side);

        if (source && has(flags, TUNNELLED)) {
            if (uri != null) {
                throw unsupportedArg("migration URI is not supported by tunnelled migration");
            }
            if (listenAddress != null) {
                throw unsupportedArg("listen address is not supported by tunnelled migration");
            }
            if (disksPort != null) {
                throw unsupportedArg("disk port address is not supported by tunnelled migration");
            }
        }
        checkPhaseCombinations(flags, side, migrateDisks, storageThroughTunnel);

        if (has(flags, RDMA_PIN_ALL)) {
            throw notYet("RDMA migration (VIR_MIGRATE_RDMA_PIN_ALL)");
        }
        if (uri != null && uri.startsWith("rdma:")) {
            throw notYet("RDMA migration (an rdma: migrate_uri)");
        }

        return new MigrationOptions(
                flags,
                uri,
                MigrationOptionsParams.string(params, MigrateParams.DEST_NAME),
                MigrationOptionsParams.string(params, MigrateParams.DEST_XML),
                MigrationOptionsParams.string(params, MigrateParams.PERSIST_XML),
                bandwidth,
                tuning.postcopyBandwidth,
                MigrationOptionsParams.string(params, MigrateParams.GRAPHICS_URI),
                listenAddress,
                migrateDisks,
                disksPort,
                disksUri,
                tuning.compression,
                tuning.mtLevel,
                tuning.mtThreads,
                tuning.mtDecompressThreads,
                tuning.xbzrleCache,
                tuning.zlibLevel,
                tuning.zstdLevel,
                tuning.throttleInitial,
                tuning.throttleIncrement,
                tuning.parallelConnections,
                source ? MigrationOptionsParams.string(params, MigrateParams.TLS_DESTINATION) : null);
    }

    private static void checkFlagBits(long flags, Side side) {
        long unknown = flags & ~MigrateFlags.ALL;
        if (unknown != 0) {
            String function = side == Side.SOURCE ? "qemuDomainMigrateBegin3Params" : "qemuDomainMigratePrepare3Params";
            throw invalidArg("unsupported flags (0x" + Long.toHexString(unknown) + ") in function " + function);
        }
    }

    /** The values QEMU is tuned with, read per side as libvirt's parameter table says, and their checks. */
    private static Tuning tuning(List<TypedParam> params, long flags, Side side) {
        Tuning t = new Tuning();
        if (side == Side.SOURCE) {
            t.throttleInitial = MigrationOptionsParams.integer(params, MigrateParams.AUTO_CONVERGE_INITIAL);
            t.throttleIncrement = MigrationOptionsParams.integer(params, MigrateParams.AUTO_CONVERGE_INCREMENT);
        }
        t.mtLevel = MigrationOptionsParams.integer(params, MigrateParams.COMPRESSION_MT_LEVEL);
        t.mtThreads = MigrationOptionsParams.integer(params, MigrateParams.COMPRESSION_MT_THREADS);
        t.mtDecompressThreads = MigrationOptionsParams.integer(params, MigrateParams.COMPRESSION_MT_DTHREADS);
        t.xbzrleCache = MigrationOptionsParams.ullong(params, MigrateParams.COMPRESSION_XBZRLE_CACHE);
        t.postcopyBandwidth = MigrationOptionsParams.ullong(params, MigrateParams.BANDWIDTH_POSTCOPY);
        if (t.postcopyBandwidth != null
                && Long.compareUnsigned(t.postcopyBandwidth, MAX_POSTCOPY_BANDWIDTH_MIBPS) > 0) {
            throw VirtException.of(
                    ErrorCode.OVERFLOW,
                    ErrorDomain.QEMU,
                    "migration parameter '"
                            + MigrateParams.BANDWIDTH_POSTCOPY + "' must be less than "
                            + Long.toUnsignedString(MAX_POSTCOPY_BANDWIDTH_MIBPS + 1));
        }
        t.parallelConnections = MigrationOptionsParams.integer(params, MigrateParams.PARALLEL_CONNECTIONS);
        t.zlibLevel = MigrationOptionsParams.integer(params, MigrateParams.COMPRESSION_ZLIB_LEVEL);
        t.zstdLevel = MigrationOptionsParams.integer(params, MigrateParams.COMPRESSION_ZSTD_LEVEL);

        if ((t.throttleInitial != null || t.throttleIncrement != null) && !has(flags, AUTO_CONVERGE)) {
            throw invalidArg("Turn auto convergence on to tune it");
        }
        if (t.parallelConnections != null && !has(flags, PARALLEL)) {
            throw invalidArg("Turn parallel migration on to tune it");
        }
        t.compression = compression(params, flags, t);
        checkLevel(MigrateParams.COMPRESSION_ZLIB_LEVEL, t.zlibLevel, ZLIB_LEVEL_MAX);
        checkLevel(MigrateParams.COMPRESSION_ZSTD_LEVEL, t.zstdLevel, ZSTD_LEVEL_MAX);
        return t;
    }

    private static Set<CompressionMethod> compression(List<TypedParam> params, long flags, Tuning t) {
        Set<CompressionMethod> methods = EnumSet.noneOf(CompressionMethod.class);
        boolean parallel = has(flags, PARALLEL);
        for (String name : MigrationOptionsParams.strings(params, MigrateParams.COMPRESSION)) {
            CompressionMethod method = CompressionMethod.fromParam(name)
                    .orElseThrow(() -> invalidArg("Unsupported compression method '" + name + "'"));
            if (methods.contains(method)) {
                throw invalidArg("Compression method '" + name + "' is specified twice");
            }
            if (!method.multifd() && parallel) {
                throw invalidArg("Compression method '" + name + "' isn't supported with parallel migration");
            }
            if (method.multifd() && !parallel) {
                throw invalidArg("Compression method '" + name + "' is only supported with parallel migration");
            }
            if (methods.stream().anyMatch(CompressionMethod::multifd)) {
                throw invalidArg("Only one compression method could be specified with parallel compression");
            }
            methods.add(method);
        }
        if ((t.mtLevel != null || t.mtThreads != null || t.mtDecompressThreads != null)
                && !methods.contains(CompressionMethod.MT)) {
            throw invalidArg("Turn multithread compression on to tune it");
        }
        if (t.xbzrleCache != null && !methods.contains(CompressionMethod.XBZRLE)) {
            throw invalidArg("Turn xbzrle compression on to tune it");
        }
        if (t.zlibLevel != null && !methods.contains(CompressionMethod.ZLIB)) {
            throw invalidArg("Turn zlib compression on to tune it");
        }
        if (t.zstdLevel != null && !methods.contains(CompressionMethod.ZSTD)) {
            throw invalidArg("Turn zstd compression on to tune it");
        }
        if (methods.isEmpty() && has(flags, COMPRESSED)) {
            if (parallel) {
                throw invalidArg("No compression algorithm selected for parallel migration");
            }
            methods.add(CompressionMethod.XBZRLE);
        }
        return methods;
    }

    /** libvirt leaves level ranges to QEMU; jvirt refuses them before any QEMU is touched. */
    private static void checkLevel(String name, Integer level, int max) {
        if (level != null && (level < 0 || level > max)) {
            throw invalidArg("migration parameter '" + name + "' must be between 0 and " + max + ", got " + level);
        }
    }

    /** The Begin (source) and Prepare (destination) phase checks that need no domain. */
    private static void checkPhaseCombinations(
            long flags, Side side, List<String> migrateDisks, boolean storageThroughTunnel) {
        boolean source = side == Side.SOURCE;
        if (has(flags, POSTCOPY) && (!has(flags, MigrateFlags.LIVE) || has(flags, PAUSED))) {
            throw unsupportedArg("post-copy migration is not supported with non-live or paused migration");
        }
        if (has(flags, POSTCOPY) && has(flags, TUNNELLED)) {
            throw unsupportedArg("post-copy is not supported with tunnelled migration");
        }
        boolean storage = (flags & (NON_SHARED_DISK | NON_SHARED_INC)) != 0;
        if (has(flags, OFFLINE)) {
            if (storage) {
                throw operationInvalid("offline migration cannot handle non-shared storage");
            }
            if (!has(flags, PERSIST_DEST)) {
                throw operationInvalid("offline migration must be specified with the persistent flag set");
            }
            if (has(flags, TUNNELLED)) {
                throw operationInvalid("tunnelled offline migration does not make sense");
            }
        }
        if (source && has(flags, ZEROCOPY) && !has(flags, PARALLEL)) {
            throw operationInvalid("zero-copy is only available for parallel migration");
        }
        // Storage through the tunnel is refused as libvirt refuses it, unless the destination is a jvirt that takes it.
        if (storage && source && has(flags, TUNNELLED) && !storageThroughTunnel) {
            throw VirtException.of(
                    ErrorCode.OPERATION_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    "migration of non-shared storage is not supported with tunnelled migration and this QEMU");
        }
        // libvirt ignores NON_SHARED_SYNCHRONOUS_WRITES without storage migration, and so does jvirt.
        if (source && !migrateDisks.isEmpty() && !storage) {
            throw VirtException.of(
                    ErrorCode.OPERATION_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    "use of 'VIR_MIGRATE_PARAM_MIGRATE_DISKS' requires use of 'VIR_MIGRATE_NON_SHARED_DISK' or "
                            + "'VIR_MIGRATE_NON_SHARED_INC' flag");
        }
    }

    private static boolean has(long flags, long flag) {
        return (flags & flag) == flag;
    }

    private static VirtException invalidArg(String detail) {
        return VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, detail);
    }

    private static VirtException unsupportedArg(String detail) {
        return VirtException.of(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.QEMU, detail);
    }

    private static VirtException operationInvalid(String detail) {
        return VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, detail);
    }

    private static VirtException notYet(String what) {
        return unsupportedArg(what + " is not supported by jvirt yet");
    }

    /** Mutable scratch for the tuning values while they are read; never leaves this class. */
    private static final class Tuning {
        Integer throttleInitial;
        Integer throttleIncrement;
        Integer mtLevel;
        Integer mtThreads;
        Integer mtDecompressThreads;
        Long xbzrleCache;
        Long postcopyBandwidth;
        Integer parallelConnections;
        Integer zlibLevel;
        Integer zstdLevel;
        Set<CompressionMethod> compression;
    }
}
