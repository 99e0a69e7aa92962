package io.jvirt.api;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Client-managed migration ({@code virDomainMigrate3}): the client drives both hosts through the phases, Begin and
 * Perform and Confirm on the source, Prepare and Finish on the destination, passing each phase's cookie to the next.
 * It picks protocol v3 when both hosts speak it, else v2, and makes sure that whatever fails, the phases that
 * undo it run: a failed Prepare releases the source, a failed Perform makes Finish tear the destination down, a
 * failed Finish makes Confirm resume the source. Peer-to-peer migration is the source's own business:
 * {@link #migrateToUri} hands it over whole.
 *
 * <p>Threading: runs on the caller's thread; the connections must be usable from it.
 */
public final class DomainMigration {
    private static final Logger LOG = System.getLogger(DomainMigration.class.getName());
    /** What v2's fixed arguments can carry; anything else needs v3. */
    private static final Set<String> V2_PARAMS =
            Set.of(MigrateParams.URI, MigrateParams.DEST_NAME, MigrateParams.BANDWIDTH);

    private DomainMigration() {}

    /**
     * Migrates {@code domain} from {@code src} to {@code dst} and returns it as {@code dst} knows it.
     *
     * @param params {@link MigrateParams} typed parameters (may be empty)
     * @param flags  {@link MigrateFlags}; PEER2PEER and TUNNELLED belong to {@link #migrateToUri}
     */
    public static DomainRef migrate(
            Connection src, DomainRef domain, Connection dst, List<TypedParam> params, long flags) {
        checkCommonFlags(flags);
        if ((flags & MigrateFlags.TUNNELLED) != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.NONE,
                    "cannot perform tunnelled migration without using peer2peer flag");
        }
        if ((flags & MigrateFlags.PEER2PEER) != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG, ErrorDomain.NONE, "use virDomainMigrateToURI3 for peer-to-peer migration");
        }
        if ((flags & MigrateFlags.OFFLINE) != 0) {
            requireFeature(
                    src, DriverFeature.MIGRATION_OFFLINE, "offline migration is not supported by the source host");
            requireFeature(
                    dst, DriverFeature.MIGRATION_OFFLINE, "offline migration is not supported by the destination host");
        }
        if (both(src, dst, DriverFeature.MIGRATION_V3)) {
            return version3(src, domain, dst, params, flags);
        }
        if (both(src, dst, DriverFeature.MIGRATION_V2)) {
            return version2(src, domain, dst, params, flags);
        }
        throw VirtException.of(
                ErrorCode.NO_SUPPORT,
                ErrorDomain.NONE,
                "Migration not supported by either the source or the destination host");
    }

    /**
     * Peer-to-peer migration ({@code virDomainMigrateToURI3} with {@link MigrateFlags#PEER2PEER}): the source
     * opens its own connection to {@code dconnuri} and runs every phase.
     */
    public static void migrateToUri(
            Connection src, DomainRef domain, String dconnuri, List<TypedParam> params, long flags) {
        checkCommonFlags(flags);
        // libvirt's client library refuses this pair before asking the source: multifd needs QEMU to open its
        // own connections, which a tunnel through the daemons cannot give it.
        if (MigrateFlags.has(flags, MigrateFlags.TUNNELLED | MigrateFlags.PARALLEL)) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.NONE,
                    "Flags 'VIR_MIGRATE_TUNNELLED' and 'VIR_MIGRATE_PARALLEL' are mutually exclusive");
        }
        if ((flags & MigrateFlags.PEER2PEER) == 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.NONE,
                    "migration to a URI without a destination connection needs the peer2peer flag");
        }
        requireFeature(src, DriverFeature.MIGRATION_P2P, "Source host does not support peer-to-peer migration");
        MigrationPhases.of(src).migratePerform3(domain, dconnuri, params, null, flags);
    }

    private static void checkCommonFlags(long flags) {
        if ((flags & ~MigrateFlags.ALL) != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.NONE,
                    "unsupported flags (0x" + Long.toHexString(flags & ~MigrateFlags.ALL) + ")");
        }
        if (MigrateFlags.has(flags, MigrateFlags.NON_SHARED_DISK | MigrateFlags.NON_SHARED_INC)) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.NONE,
                    "flags 'non_shared_disk' and 'non_shared_inc' in migration are mutually exclusive");
        }
    }

    private static DomainRef version3(
            Connection src, DomainRef domain, Connection dst, List<TypedParam> params, long flags) {
        MigrationPhases source = MigrationPhases.of(src);
        MigrationPhases dest = MigrationPhases.of(dst);
        long srcFlags = flags;
        if (src.supportsFeature(DriverFeature.MIGRATE_CHANGE_PROTECTION)) {
            srcFlags |= MigrateFlags.CHANGE_PROTECTION;
        } else if ((flags & MigrateFlags.CHANGE_PROTECTION) != 0) {
            throw VirtException.of(
                    ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.NONE, "cannot enforce change protection");
        }
        MigrationBegin begin = source.migrateBegin3(domain, params, srcFlags);
        boolean protectedJob = (srcFlags & MigrateFlags.CHANGE_PROTECTION) != 0;
        long destFlags = flags & ~MigrateFlags.SOURCE_ONLY & ~MigrateFlags.CHANGE_PROTECTION;
        if (src.state(domain).state() == DomainState.PAUSED) {
            destFlags |= MigrateFlags.PAUSED;
        }
        List<TypedParam> destParams = replace(params, TypedParam.string(MigrateParams.DEST_XML, begin.domainXml()));
        MigrationPrepared prepared;
        try {
            prepared = dest.migratePrepare3(destParams, begin.cookie(), destFlags);
        } catch (VirtException e) {
            if (protectedJob) {
                confirmQuietly(source, domain, params, null, srcFlags, true);
            }
            throw e;
        }
        String uri = prepared.uri() != null
                ? prepared.uri()
                : TypedParam.find(params, MigrateParams.URI)
                        .map(Object::toString)
                        .orElse(null);
        List<TypedParam> performParams =
                uri == null ? destParams : replace(destParams, TypedParam.string(MigrateParams.URI, uri));
        VirtException performError = null;
        String performCookie = null;
        if (uri == null && (flags & MigrateFlags.OFFLINE) == 0) {
            performError = VirtException.of(
                    ErrorCode.INTERNAL_ERROR, ErrorDomain.NONE, "domainMigratePrepare3 did not set uri");
        } else if ((flags & MigrateFlags.OFFLINE) == 0) {
            try {
                performCookie = source.migratePerform3(domain, null, performParams, prepared.cookie(), srcFlags);
            } catch (VirtException e) {
                performError = e;
            }
        }
        boolean cancelled = performError != null;
        List<TypedParam> finishParams =
                TypedParam.find(performParams, MigrateParams.DEST_NAME).isPresent()
                        ? performParams
                        : replace(performParams, TypedParam.string(MigrateParams.DEST_NAME, domain.name()));
        MigrationFinished finished = null;
        VirtException finishError = null;
        try {
            finished = dest.migrateFinish3(finishParams, performCookie, destFlags, cancelled);
            if (cancelled && finished != null && finished.domain() != null) {
                LOG.log(Level.WARNING, "finish step ignored that migration was cancelled");
            }
        } catch (VirtException e) {
            finishError = e;
        }
        if (performError != null) {
            // Perform has already put the source back; the destination's own failure explains more when the
            // source only knows that the transfer failed.
            if (finishError != null
                    && performError.code() == ErrorCode.OPERATION_FAILED
                    && finishError.code() != ErrorCode.MIGRATE_FINISH_OK) {
                throw finishError;
            }
            throw performError;
        }
        boolean finishFailed = finished == null || finished.domain() == null;
        try {
            source.migrateConfirm3(domain, params, finished == null ? null : finished.cookie(), srcFlags, finishFailed);
        } catch (VirtException e) {
            LOG.log(
                    Level.WARNING,
                    "Guest " + domain.name() + " probably left in 'paused' state on source: " + e.getMessage());
            if (finishFailed) {
                throw finishError != null ? finishError : e;
            }
        }
        if (finishFailed) {
            throw finishError != null
                    ? finishError
                    : VirtException.of(
                            ErrorCode.OPERATION_FAILED,
                            ErrorDomain.NONE,
                            "the destination did not start domain '" + domain.name() + "'");
        }
        return finished.domain();
    }

    private static DomainRef version2(
            Connection src, DomainRef domain, Connection dst, List<TypedParam> params, long flags) {
        MigrationPhases source = MigrationPhases.of(src);
        MigrationPhases dest = MigrationPhases.of(dst);
        for (TypedParam p : params) {
            if (MigrateParams.DEST_XML.equals(p.field())) {
                throw VirtException.of(
                        ErrorCode.ARGUMENT_UNSUPPORTED,
                        ErrorDomain.NONE,
                        "Unable to change target guest XML during migration");
            }
            if (!V2_PARAMS.contains(p.field())) {
                throw VirtException.of(
                        ErrorCode.ARGUMENT_UNSUPPORTED,
                        ErrorDomain.NONE,
                        "Some parameters are not supported by migration protocol 2");
            }
        }
        String dname = TypedParam.find(params, MigrateParams.DEST_NAME)
                .map(Object::toString)
                .orElse(null);
        String uriIn =
                TypedParam.find(params, MigrateParams.URI).map(Object::toString).orElse(null);
        long bandwidth = TypedParam.find(params, MigrateParams.BANDWIDTH)
                .map(v -> ((Number) v).longValue())
                .orElse(0L);
        String xml = src.xmlDesc(domain, XmlFlags.MIGRATABLE | XmlFlags.SECURE);
        long destFlags = flags & ~MigrateFlags.SOURCE_ONLY;
        if (src.state(domain).state() == DomainState.PAUSED) {
            destFlags |= MigrateFlags.PAUSED;
        }
        String uriOut = dest.migratePrepare2(uriIn, destFlags, dname, bandwidth, xml);
        String uri = uriOut != null ? uriOut : uriIn;
        String finalName = dname != null ? dname : domain.name();
        if (uri == null) {
            dest.migrateFinish2(finalName, null, destFlags, true);
            throw VirtException.of(ErrorCode.INTERNAL_ERROR, ErrorDomain.NONE, "domainMigratePrepare2 did not set uri");
        }
        VirtException performError = null;
        try {
            source.migratePerform2(domain, uri, flags, dname, bandwidth);
        } catch (VirtException e) {
            performError = e;
        }
        DomainRef result = dest.migrateFinish2(finalName, uri, destFlags, performError != null);
        if (performError != null) {
            throw performError;
        }
        return result;
    }

    private static void confirmQuietly(
            MigrationPhases source,
            DomainRef domain,
            List<TypedParam> params,
            String cookie,
            long flags,
            boolean cancelled) {
        try {
            source.migrateConfirm3(domain, params, cookie, flags, cancelled);
        } catch (VirtException e) {
            LOG.log(Level.WARNING, "releasing the source of " + domain.name() + " failed: " + e.getMessage());
        }
    }

    private static boolean both(Connection src, Connection dst, int feature) {
        return src.supportsFeature(feature) && dst.supportsFeature(feature);
    }

    private static void requireFeature(Connection c, int feature, String message) {
        if (!c.supportsFeature(feature)) {
            throw VirtException.of(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.NONE, message);
        }
    }

    /** {@code params} with every {@code p.field()} entry replaced by {@code p}. */
    private static List<TypedParam> replace(List<TypedParam> params, TypedParam p) {
        List<TypedParam> out = new ArrayList<>();
        for (TypedParam q : params) {
            if (!q.field().equals(p.field())) {
                out.add(q);
            }
        }
        out.add(p);
        return List.copyOf(out);
    }
}
