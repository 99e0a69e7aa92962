package io.jvirt.driver.migration;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainState;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.MigrationBegin;
import io.jvirt.api.MigrationFinished;
import io.jvirt.api.MigrationPrepared;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.driver.root.MigrationSettings;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.job.AsyncJobKind;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Peer-to-peer migration, v3 with parameters when the destination announces both (otherwise v2, see
 * {@link PeerVersion2}): the source's Perform3 (called with the destination's URI) opens its
 * own connection to the destination and runs every phase itself, as one MIGRATION_OUT job from Begin to Confirm
 * (change protection, so the job is watched, steered and aborted like a client-managed one): Begin here, Prepare
 * there (PrepareTunnel3 with {@link MigrateFlags#TUNNELLED}, the bytes then travel through that connection),
 * Perform here, Finish there (cancelled when Perform failed), Confirm here (cancelled when Finish failed). The
 * rules for failures are the client-managed ones: whatever fails, the guest runs on here unless the destination
 * has it. A destination connection lost while QEMU sends ends the wait with "Lost connection to destination host".
 *
 * <p>Threading: runs on the Perform3 caller's thread; the tunnel's bytes move on the destination connection's
 * pump thread.
 */
public final class PeerMigration {
    private static final Logger LOG = System.getLogger(PeerMigration.class.getName());

    /** What libvirt refuses to migrate without parameters: graphics URI, listen address, disks to copy. */
    private static final Set<String> EXTENDED = Set.of(MigrateParams.GRAPHICS_URI, MigrateParams.LISTEN_ADDRESS,
            MigrateParams.MIGRATE_DISKS);

    private final MigrationSource source;
    private final MigrationSettings settings;

    public PeerMigration(MigrationSource source, MigrationSettings settings) {
        this.source = source;
        this.settings = settings;
    }

    /** The whole migration of {@code dom} to the host at {@code dconnuri}; returns no cookie (there is no client phase after). */
    public String perform(DomainObj dom, String dconnuri, List<TypedParam> params, String cookie, long flags) {
        if (cookie != null && !cookie.isEmpty()) {
            throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU,
                    "received unexpected cookie with P2P migration");
        }
        if (dconnuri == null || dconnuri.isEmpty()) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                    "peer-to-peer migration needs the destination's connection URI");
        }
        MigrationOptions.parse(params, flags, MigrationOptions.Side.SOURCE);
        if ((flags & MigrateFlags.OFFLINE) != 0) {
            throw VirtException.of(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.QEMU,
                    "offline peer-to-peer migration is not implemented");
        }
        try (PeerLink link = PeerLink.open(dconnuri, settings)) {
            link.requirePeerToPeer();
            if (link.takesVersion3Params()) {
                version3(dom, link, params, flags);
            } else {
                refuseExtendedParams(params);
                new PeerVersion2(source).migrate(dom, link, params, flags & ~MigrateFlags.CHANGE_PROTECTION);
            }
        }
        return null;
    }

    /**
     * v2's Perform called with {@link MigrateFlags#PEER2PEER} ({@code virsh migrate --p2p} against a source that
     * announces neither v3 nor parameters): as libvirt does, its URI is the destination's connection URI, and the
     * protocol towards the destination is chosen by what the destination announces, as for Perform3.
     */
    public void performVersion2(DomainObj dom, String dconnuri, long flags, String dname, long bandwidthMiBps) {
        List<TypedParam> params = new ArrayList<>();
        if (dname != null) {
            params.add(TypedParam.string(MigrateParams.DEST_NAME, dname));
        }
        if (bandwidthMiBps > 0) {
            params.add(TypedParam.ullong(MigrateParams.BANDWIDTH, bandwidthMiBps));
        }
        perform(dom, dconnuri, List.copyOf(params), null, flags);
    }

    /**
     * Without parameters only the destination name, XML, migration URI and bandwidth reach the destination; libvirt
     * refuses the parameters whose loss would change where or what is migrated.
     */
    private static void refuseExtendedParams(List<TypedParam> params) {
        for (TypedParam p : params) {
            if (EXTENDED.contains(p.field())) {
                throw VirtException.of(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.QEMU,
                        "Migration APIs with extensible parameters are not supported but extended parameters "
                                + "were passed");
            }
        }
    }

    private void version3(DomainObj dom, PeerLink link, List<TypedParam> params, long flags) {
        Connection dest = link.connection();
        boolean tunnelled = (flags & MigrateFlags.TUNNELLED) != 0;
        long sourceFlags = flags | MigrateFlags.CHANGE_PROTECTION;
        long destFlags = flags & ~(MigrateFlags.SOURCE_ONLY | MigrateFlags.CHANGE_PROTECTION);
        if (dom.status().state() == DomainState.PAUSED) {
            destFlags |= MigrateFlags.PAUSED;
        }
        MigrationBegin begin = source.begin(dom, params, sourceFlags);
        List<TypedParam> destParams = with(params, MigrateParams.DEST_XML, begin.domainXml());
        if (find(destParams, MigrateParams.DEST_NAME) == null) {
            destParams = with(destParams, MigrateParams.DEST_NAME, dom.name());
        }

        TunnelOutput tunnel = tunnelled ? TunnelOutput.open(link::lost) : null;
        MigrationPrepared prepared;
        try {
            prepared = tunnelled
                    ? dest.migratePrepareTunnel3(without(destParams, MigrateParams.URI), begin.cookie(), destFlags,
                            tunnel.channel())
                    : dest.migratePrepare3(destParams, begin.cookie(), destFlags);
        } catch (RuntimeException e) {
            if (tunnel != null) {
                tunnel.close();
            }
            source.confirm(dom, null, sourceFlags, true);
            throw e;
        }

        OutgoingTransport transport;
        List<TypedParam> performParams = params;
        if (tunnelled) {
            transport = tunnel;
        } else {
            transport = new NativeTransport(link);
            String uri = prepared.uri() != null ? prepared.uri() : find(params, MigrateParams.URI);
            if (uri != null) {
                performParams = with(params, MigrateParams.URI, uri);
            }
        }

        VirtException performError = null;
        String performCookie = null;
        long started = System.nanoTime();
        try {
            if (!tunnelled && find(performParams, MigrateParams.URI) == null) {
                throw VirtException.of(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU,
                        "domainMigratePrepare3 did not set uri");
            }
            performCookie = source.perform(dom, performParams, prepared.cookie(), sourceFlags, transport);
        } catch (VirtException e) {
            performError = e;
            // Perform did not run (no URI): the job is still parked and must end here.
            if (dom.asyncJob() instanceof MigrationJob job && job.kind() == AsyncJobKind.MIGRATION_OUT
                    && job.phase() == MigrationPhase.BEGIN3) {
                source.confirm(dom, null, sourceFlags, true);
            }
        }
        LOG.log(Level.DEBUG, "p2p perform of {0} took {1} ms{2}", dom.name(), (System.nanoTime() - started) / 1_000_000,
                tunnel != null ? ", " + tunnel.bytes() + " bytes through the tunnel" : "");

        MigrationFinished finished = null;
        VirtException finishError = null;
        if (link.lost() == null || performError == null) {
            try {
                finished = dest.migrateFinish3(destParams, performCookie, destFlags, performError != null);
            } catch (VirtException e) {
                finishError = e;
            }
        }
        if (performError != null) {
            if (finished != null) {
                LOG.log(Level.WARNING, "finish step ignored that migration of {0} was cancelled", dom.name());
            }
            throw performError;
        }
        boolean cancelled = finished == null;
        try {
            source.confirm(dom, cancelled ? null : finished.cookie(), sourceFlags, cancelled);
        } catch (VirtException e) {
            LOG.log(Level.WARNING, "Guest {0} probably left in 'paused' state on source: {1}", dom.name(),
                    e.getMessage());
            if (!cancelled) {
                throw e;
            }
        }
        if (cancelled) {
            throw finishError;
        }
    }

    /** Native migration: QEMU connects to the destination's QEMU itself; only the peer's liveness is watched. */
    record NativeTransport(PeerLink link) implements OutgoingTransport {
        @Override
        public VirtException lost() {
            return link.lost();
        }
    }

    static String find(List<TypedParam> params, String name) {
        for (TypedParam p : params) {
            if (p.field().equals(name) && p.value() instanceof String s) {
                return s;
            }
        }
        return null;
    }

    static List<TypedParam> with(List<TypedParam> params, String name, String value) {
        List<TypedParam> out = new ArrayList<>(without(params, name));
        out.add(TypedParam.string(name, value));
        return List.copyOf(out);
    }

    private static List<TypedParam> without(List<TypedParam> params, String name) {
        List<TypedParam> out = new ArrayList<>();
        for (TypedParam p : params) {
            if (!p.field().equals(name)) {
                out.add(p);
            }
        }
        return out;
    }
}
