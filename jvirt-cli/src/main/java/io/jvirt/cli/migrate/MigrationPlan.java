package io.jvirt.cli.migrate;

import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.TypedParam;
import io.jvirt.cli.command.CliError;
import java.util.ArrayList;
import java.util.List;

/**
 * The migration {@code migrate}'s arguments ask for: the flags and typed parameters virsh 11.3 passes to
 * {@code virDomainMigrate3}/{@code virDomainMigrateToURI3} for them, and whether the source drives it
 * ({@code --p2p}, {@code --direct}). Built in virsh's order, so that of several bad values the same one is reported.
 * Pure; any thread.
 *
 * @param params the parameters in the order virsh adds them; list options add one parameter per item
 */
public record MigrationPlan(String destUri, long flags, List<TypedParam> params, boolean sourceDriven) {
    /** libvirt's name for {@code --available-switchover-bandwidth}'s parameter (MiB/s), not in MigrateParams yet. */
    public static final String BANDWIDTH_AVAIL_SWITCHOVER = "bandwidth.avail.switchover";
    /** libvirt's name for {@code --migrate-disks-detect-zeroes}'s parameter, not in MigrateParams yet. */
    public static final String MIGRATE_DISKS_DETECT_ZEROES = "migrate_disks_detect_zeroes";

    public MigrationPlan {
        params = List.copyOf(params);
    }

    /**
     * Reads the plan from {@code args}; {@code --xml} and {@code --persistent-xml} files are read here.
     *
     * @throws CliError as virsh words a bad value or an option that needs another
     */
    public static MigrationPlan of(MigrateArgs args) {
        List<TypedParam> p = new ArrayList<>();
        string(args, "migrateuri", MigrateParams.URI, p);
        string(args, "graphicsuri", MigrateParams.GRAPHICS_URI, p);
        string(args, "listen-address", MigrateParams.LISTEN_ADDRESS, p);
        String port = args.value("disks-port");
        if (port != null) {
            int value = VirshNumbers.parseInt("disks-port", port);
            // virsh leaves a port of 0 out: the destination picks one.
            if (value != 0) {
                p.add(TypedParam.integer(MigrateParams.DISKS_PORT, value));
            }
        }
        string(args, "disks-uri", MigrateParams.DISKS_URI, p);
        string(args, "dname", MigrateParams.DEST_NAME, p);
        boolean copiesStorage = args.has("copy-storage-all") || args.has("copy-storage-inc");
        for (String disks : List.of("migrate-disks", "migrate-disks-detect-zeroes")) {
            if (args.value(disks) != null && !copiesStorage) {
                throw new CliError("'--" + disks + "' requires one of '--copy-storage-all', '--copy-storage-inc'");
            }
        }
        list(args, "migrate-disks", MigrateParams.MIGRATE_DISKS, p);
        list(args, "migrate-disks-detect-zeroes", MIGRATE_DISKS_DETECT_ZEROES, p);
        list(args, "comp-methods", MigrateParams.COMPRESSION, p);
        integer(args, "comp-mt-level", MigrateParams.COMPRESSION_MT_LEVEL, p);
        integer(args, "comp-mt-threads", MigrateParams.COMPRESSION_MT_THREADS, p);
        integer(args, "comp-mt-dthreads", MigrateParams.COMPRESSION_MT_DTHREADS, p);
        ullong(args, "comp-xbzrle-cache", MigrateParams.COMPRESSION_XBZRLE_CACHE, p);
        integer(args, "comp-zlib-level", MigrateParams.COMPRESSION_ZLIB_LEVEL, p);
        integer(args, "comp-zstd-level", MigrateParams.COMPRESSION_ZSTD_LEVEL, p);
        file(args, "xml", MigrateParams.DEST_XML, p);
        file(args, "persistent-xml", MigrateParams.PERSIST_XML, p);
        integer(args, "auto-converge-initial", MigrateParams.AUTO_CONVERGE_INITIAL, p);
        integer(args, "auto-converge-increment", MigrateParams.AUTO_CONVERGE_INCREMENT, p);
        ullong(args, "postcopy-bandwidth", MigrateParams.BANDWIDTH_POSTCOPY, p);
        integer(args, "parallel-connections", MigrateParams.PARALLEL_CONNECTIONS, p);
        ullong(args, "bandwidth", MigrateParams.BANDWIDTH, p);
        ullong(args, "available-switchover-bandwidth", BANDWIDTH_AVAIL_SWITCHOVER, p);
        string(args, "tls-destination", MigrateParams.TLS_DESTINATION, p);
        long flags = flags(args);
        if (args.has("copy-storage-synchronous-writes") && !copiesStorage) {
            throw new CliError("'--copy-storage-synchronous-writes' requires one of '--copy-storage-all', "
                    + "'--copy-storage-inc'");
        }
        return new MigrationPlan(args.value("desturi"), flags, p, args.has("p2p") || args.has("direct"));
    }

    /** The {@link MigrateFlags} for the switches given; {@code --direct} has none of its own. */
    static long flags(MigrateArgs args) {
        long flags = 0;
        flags |= flag(args, "live", MigrateFlags.LIVE);
        flags |= flag(args, "p2p", MigrateFlags.PEER2PEER);
        flags |= flag(args, "tunnelled", MigrateFlags.TUNNELLED);
        flags |= flag(args, "persistent", MigrateFlags.PERSIST_DEST);
        flags |= flag(args, "undefinesource", MigrateFlags.UNDEFINE_SOURCE);
        flags |= flag(args, "suspend", MigrateFlags.PAUSED);
        flags |= flag(args, "copy-storage-all", MigrateFlags.NON_SHARED_DISK);
        flags |= flag(args, "copy-storage-inc", MigrateFlags.NON_SHARED_INC);
        flags |= flag(args, "copy-storage-synchronous-writes", MigrateFlags.NON_SHARED_SYNCHRONOUS_WRITES);
        flags |= flag(args, "change-protection", MigrateFlags.CHANGE_PROTECTION);
        flags |= flag(args, "unsafe", MigrateFlags.UNSAFE);
        flags |= flag(args, "compressed", MigrateFlags.COMPRESSED);
        flags |= flag(args, "auto-converge", MigrateFlags.AUTO_CONVERGE);
        flags |= flag(args, "rdma-pin-all", MigrateFlags.RDMA_PIN_ALL);
        flags |= flag(args, "offline", MigrateFlags.OFFLINE);
        flags |= flag(args, "abort-on-error", MigrateFlags.ABORT_ON_ERROR);
        flags |= flag(args, "postcopy", MigrateFlags.POSTCOPY);
        flags |= flag(args, "postcopy-resume", MigrateFlags.POSTCOPY_RESUME);
        flags |= flag(args, "zerocopy", MigrateFlags.ZEROCOPY);
        flags |= flag(args, "tls", MigrateFlags.TLS);
        flags |= flag(args, "parallel", MigrateFlags.PARALLEL);
        return flags;
    }

    private static long flag(MigrateArgs args, String name, long flag) {
        return args.has(name) ? flag : 0;
    }

    private static void string(MigrateArgs args, String option, String param, List<TypedParam> out) {
        String v = args.value(option);
        if (v != null) {
            out.add(TypedParam.string(param, v));
        }
    }

    private static void list(MigrateArgs args, String option, String param, List<TypedParam> out) {
        String v = args.value(option);
        if (v != null) {
            for (String item : v.split(",", -1)) {
                out.add(TypedParam.string(param, item));
            }
        }
    }

    private static void integer(MigrateArgs args, String option, String param, List<TypedParam> out) {
        String v = args.value(option);
        if (v != null) {
            out.add(TypedParam.integer(param, VirshNumbers.parseInt(option, v)));
        }
    }

    private static void ullong(MigrateArgs args, String option, String param, List<TypedParam> out) {
        String v = args.value(option);
        if (v != null) {
            out.add(TypedParam.ullong(param, VirshNumbers.parseULongLong(option, v)));
        }
    }

    private static void file(MigrateArgs args, String option, String param, List<TypedParam> out) {
        String v = args.value(option);
        if (v != null) {
            out.add(TypedParam.string(param, MigrationXmlFile.read(v)));
        }
    }
}
