package io.jvirt.driver.migration.peer;

import io.jvirt.api.DomainState;
import io.jvirt.api.DriverFeature;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.MigrationBegin;
import io.jvirt.api.MigrationFinished;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.MigrationPrepared;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.job.AsyncJobKind;
import io.jvirt.driver.migration.MigrationJob;
import io.jvirt.driver.migration.MigrationOptions;
import io.jvirt.driver.migration.MigrationPhase;
import io.jvirt.driver.migration.MigrationSource;
import io.jvirt.driver.migration.cookie.SameHostRefusal;
import io.jvirt.driver.migration.tunnel.OutgoingTransport;
import io.jvirt.driver.migration.tunnel.SourceStorageTunnel;
import io.jvirt.driver.migration.tunnel.SourceTunnel;
import io.jvirt.driver.migration.tunnel.SourceTunnelChannels;
import io.jvirt.driver.root.EmbedUri;
import io.jvirt.driver.root.HostRoot;
import io.jvirt.driver.root.MigrationSettings;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Peer-to-peer migration, v3 with parameters when the destination announces both (otherwise v2, see
 * {@link PeerMigrationV2}): the source's Perform3 (called with the destination's URI) opens its
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
    private static final Set<String> EXTENDED =
            Set.of(MigrateParams.GRAPHICS_URI, MigrateParams.LISTEN_ADDRESS, MigrateParams.MIGRATE_DISKS);

    private final MigrationSource source;
    private final MigrationSettings settings;
    private final HostRoot root;
    private final UUID hostUuid;

    public PeerMigration(MigrationSource source, MigrationSettings settings, HostRoot root, UUID hostUuid) {
        this.source = source;
        this.settings = settings;
        this.root = root;
        this.hostUuid = hostUuid;
    }

    /** The whole migration of {@code dom} to the host at {@code dconnuri}; returns no cookie (there is no client phase after). */
    public String perform(DomainObj dom, String dconnuri, List<TypedParam> params, String cookie, long flags) {
        if (cookie != null && !cookie.isEmpty()) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "received unexpected cookie with P2P migration");
        }
        if (dconnuri == null || dconnuri.isEmpty()) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "peer-to-peer migration needs the destination's connection URI");
        }
        Integer channelsAsked = tunnelChannelsAsked(params, flags);
        if (channelsAsked != null) {
            params = without(params, MigrateParams.PARALLEL_CONNECTIONS);
        }
        // Storage through the tunnel depends on the destination, which Begin checks once it is known.
        MigrationOptions.parse(params, flags, MigrationOptions.Side.SOURCE, true);
        boolean offline = (flags & MigrateFlags.OFFLINE) != 0;
        if (EmbedUri.names(dconnuri, root)) {
            // This process holds the root, so opening it again would only fail on its lock, naming our own pid;
            // libvirt's words say what is wrong. Nothing has started yet, so the guest runs on untouched.
            throw SameHostRefusal.of(hostUuid.toString());
        }
        try (PeerLink link = PeerLink.open(dconnuri, settings)) {
            link.requirePeerToPeer();
            if (offline && !link.connection().supportsFeature(DriverFeature.MIGRATION_OFFLINE)) {
                throw VirtException.of(
                        ErrorCode.ARGUMENT_UNSUPPORTED,
                        ErrorDomain.QEMU,
                        "offline migration is not supported by the destination host");
            }
            if (link.takesVersion3Params()) {
                version3(dom, link, params, flags, channelsAsked);
            } else {
                if (channelsAsked != null) {
                    refuseChannels();
                }
                if (offline) {
                    // v2's Prepare2 starts a QEMU: there is no way to move only the definition.
                    throw VirtException.of(
                            ErrorCode.ARGUMENT_UNSUPPORTED,
                            ErrorDomain.QEMU,
                            "offline migration is not supported by the destination host");
                }
                refuseExtendedParams(params);
                new PeerMigrationV2(source).migrate(dom, link, params, flags & ~MigrateFlags.CHANGE_PROTECTION);
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
                throw VirtException.of(
                        ErrorCode.ARGUMENT_UNSUPPORTED,
                        ErrorDomain.QEMU,
                        "Migration APIs with extensible parameters are not supported but extended parameters "
                                + "were passed");
            }
        }
    }

    /**
     * jvirt's way to ask for a tunnel with several channels per migration: {@code parallel.connections} with
     * TUNNELLED but without PARALLEL (which libvirt's client refuses with TUNNELLED), as
     * {@code virsh migrate --p2p --tunnelled --parallel-connections N} sends it; null when not asked.
     */
    private static Integer tunnelChannelsAsked(List<TypedParam> params, long flags) {
        if ((flags & MigrateFlags.TUNNELLED) == 0 || (flags & MigrateFlags.PARALLEL) != 0) {
            return null;
        }
        for (TypedParam p : params) {
            if (p.field().equals(MigrateParams.PARALLEL_CONNECTIONS) && p.value() instanceof Number n) {
                if (n.intValue() < 1 || n.intValue() > MigrationSettings.MAX_TUNNEL_CHANNELS) {
                    throw VirtException.of(
                            ErrorCode.INVALID_ARG,
                            ErrorDomain.QEMU,
                            "tunnel channels " + n + " not between 1 and " + MigrationSettings.MAX_TUNNEL_CHANNELS);
                }
                return n.intValue();
            }
        }
        return null;
    }

    private static void refuseChannels() {
        throw VirtException.of(
                ErrorCode.ARGUMENT_UNSUPPORTED,
                ErrorDomain.QEMU,
                "the destination does not take a tunnel with several channels (a jvirt extension), "
                        + "so parallel connections cannot be tunnelled to it");
    }

    private void version3(DomainObj dom, PeerLink link, List<TypedParam> params, long flags, Integer channelsAsked) {
        MigrationPhases dest = MigrationPhases.of(link.connection());
        boolean tunnelled = (flags & MigrateFlags.TUNNELLED) != 0;
        int multifd = tunnelled ? tunnelChannels(link, flags, channelsAsked) : 0;
        if (multifd > 0) {
            flags |= MigrateFlags.PARALLEL;
            params = withParam(params, TypedParam.integer(MigrateParams.PARALLEL_CONNECTIONS, multifd));
        }
        long sourceFlags = flags | MigrateFlags.CHANGE_PROTECTION;
        long destFlags = flags & ~(MigrateFlags.SOURCE_ONLY | MigrateFlags.CHANGE_PROTECTION);
        // A failed post-copy leaves the source paused, but the destination runs the guest: nothing to keep paused.
        if (dom.status().state() == DomainState.PAUSED && (flags & MigrateFlags.POSTCOPY_RESUME) == 0) {
            destFlags |= MigrateFlags.PAUSED;
        }
        boolean storageTunnel = tunnelled
                && (flags & (MigrateFlags.NON_SHARED_DISK | MigrateFlags.NON_SHARED_INC)) != 0
                && link.connection().supportsFeature(DriverFeature.JVIRT_TUNNEL_STORAGE);
        if (storageTunnel && find(params, MigrateParams.DISKS_URI) != null) {
            throw VirtException.of(
                    ErrorCode.ARGUMENT_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    "disks URI is not supported by tunnelled migration");
        }
        // Towards a destination that cannot carry storage in the tunnel, Begin refuses it with libvirt's error.
        MigrationBegin begin = source.begin(dom, params, sourceFlags, storageTunnel);
        List<TypedParam> destParams = with(params, MigrateParams.DEST_XML, begin.domainXml());
        if (find(destParams, MigrateParams.DEST_NAME) == null) {
            destParams = with(destParams, MigrateParams.DEST_NAME, dom.name());
        }

        SourceTunnel tunnel = null;
        SourceTunnelChannels channels = null;
        SourceStorageTunnel storage = null;
        MigrationPrepared prepared;
        try {
            // In the try: a pipe or socket that cannot be made ends the parked Begin job like a refused Prepare.
            tunnel = tunnelled && multifd == 0 ? SourceTunnel.open(link::lost) : null;
            channels = multifd > 0
                    ? SourceTunnelChannels.open(
                            dom.name(), root.tunnelSocket(dom.name(), true), multifd + 1, link::lost)
                    : null;
            storage = storageTunnel
                    ? SourceStorageTunnel.open(
                            tunnel != null ? tunnel : channels,
                            dom.name(),
                            root.nbdSocket(dom.name(), true),
                            nbdCarrier(link, find(destParams, MigrateParams.DEST_NAME)))
                    : null;
            prepared = tunnelled
                    ? dest.migratePrepareTunnel3(
                            without(destParams, MigrateParams.URI),
                            begin.cookie(),
                            destFlags,
                            tunnel != null ? tunnel.channel() : channels.channel(0))
                    : dest.migratePrepare3(destParams, begin.cookie(), destFlags);
        } catch (RuntimeException e) {
            if (tunnel != null) {
                tunnel.close();
            }
            if (channels != null) {
                channels.close();
            }
            if (storage != null) {
                storage.closeStorage();
            }
            source.confirm(dom, null, sourceFlags, true);
            throw e;
        }
        List<PeerLink> channelLinks = new ArrayList<>();
        try {
            afterPrepare(
                    dom,
                    link,
                    params,
                    destParams,
                    prepared,
                    sourceFlags,
                    destFlags,
                    storage != null ? storage : tunnel != null ? tunnel : channels,
                    channelLinks);
        } finally {
            if (storage != null) {
                storage.closeStorage();
            }
            channelLinks.forEach(PeerLink::close);
        }
    }

    /**
     * jvirt's storage through the tunnel: each NBD connection of the source's mirrors in a stream of its own, on a
     * connection of its own to the destination (its bytes must not wait behind another stream's; an in-process
     * destination is called directly), watched like the main link while the migration runs.
     */
    private SourceStorageTunnel.Carrier nbdCarrier(PeerLink link, String destName) {
        return (connection, toDestination, toSource) -> {
            if (link.inProcess()) {
                MigrationPhases.of(link.connection()).migrateTunnelNbd(destName, connection, toDestination, toSource);
                return SourceStorageTunnel.Link.SHARED;
            }
            PeerLink extra = PeerLink.open(link.uri(), settings);
            try {
                MigrationPhases.of(extra.connection()).migrateTunnelNbd(destName, connection, toDestination, toSource);
            } catch (RuntimeException e) {
                extra.close();
                throw e;
            }
            return new SourceStorageTunnel.Link(extra::lost, extra::close);
        };
    }

    /**
     * jvirt's tunnel with several channels: the multifd channels asked for, or else configured, when the
     * destination takes them. Without a request, a migration that needs the single stream (compression, or
     * zero-copy, which multifd over a relay cannot give) or a destination without the feature gets one stream.
     */
    private int tunnelChannels(PeerLink link, long flags, Integer asked) {
        boolean takes = link.connection().supportsFeature(DriverFeature.JVIRT_TUNNEL_CHANNELS);
        if (asked != null) {
            if (!takes) {
                refuseChannels();
            }
            return asked;
        }
        int n = settings.tunnelChannels();
        if (n <= 0 || (flags & (MigrateFlags.COMPRESSED | MigrateFlags.ZEROCOPY)) != 0) {
            return 0;
        }
        return takes ? n : 0;
    }

    /**
     * Channels 1 and up of a tunnel with several, each on a connection of its own to the destination (so one
     * channel's stream waiting for QEMU never holds up another's; an in-process destination is called directly),
     * opened before Perform so that every stream is ready when QEMU connects.
     */
    private void openChannels(PeerLink link, String destName, SourceTunnelChannels channels, List<PeerLink> links) {
        for (int i = 1; i < channels.count(); i++) {
            PeerLink extra = link;
            if (!link.inProcess()) {
                extra = PeerLink.open(link.uri(), settings);
                links.add(extra);
                channels.watch(extra::lost);
            }
            MigrationPhases.of(extra.connection()).migrateTunnelChannel(destName, i, channels.channel(i));
        }
    }

    /**
     * Perform here, Finish there, Confirm here, once Prepare went through; {@code tunnel} is null for native
     * migration, and {@code channelLinks} collects the connections a tunnel with several channels opens.
     */
    private void afterPrepare(
            DomainObj dom,
            PeerLink link,
            List<TypedParam> params,
            List<TypedParam> destParams,
            MigrationPrepared prepared,
            long sourceFlags,
            long destFlags,
            OutgoingTransport tunnel,
            List<PeerLink> channelLinks) {
        MigrationPhases dest = MigrationPhases.of(link.connection());
        if ((sourceFlags & MigrateFlags.OFFLINE) != 0) {
            finishOffline(dom, dest, params, destParams, sourceFlags, destFlags);
            return;
        }
        boolean tunnelled = tunnel != null;
        OutgoingTransport memory = tunnel instanceof SourceStorageTunnel s ? s.memory() : tunnel;
        SourceTunnelChannels channels = memory instanceof SourceTunnelChannels c ? c : null;
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
                throw VirtException.of(
                        ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "domainMigratePrepare3 did not set uri");
            }
            if (channels != null) {
                openChannels(link, find(destParams, MigrateParams.DEST_NAME), channels, channelLinks);
            }
            performCookie = source.perform(dom, performParams, prepared.cookie(), sourceFlags, transport);
        } catch (VirtException e) {
            performError = e;
            transport.close();
            // Perform did not run (no URI): the job is still parked and must end here.
            if (dom.asyncJob() instanceof MigrationJob job
                    && job.kind() == AsyncJobKind.MIGRATION_OUT
                    && (job.phase() == MigrationPhase.BEGIN3 || job.phase() == MigrationPhase.BEGIN_RESUME)) {
                source.confirm(dom, null, sourceFlags, true);
            }
        }
        LOG.log(
                Level.DEBUG,
                "p2p perform of {0} took {1} ms{2}",
                dom.name(),
                (System.nanoTime() - started) / 1_000_000,
                memory instanceof SourceTunnel t
                        ? ", " + t.bytes() + " bytes through the tunnel"
                        : channels != null
                                ? ", " + channels.bytes() + " bytes through the tunnel's " + channels.count()
                                        + " streams"
                                : "");

        String cookie = performCookie;
        PeerFinish<MigrationFinished> result = PeerFinish.call(
                link,
                dom,
                performError,
                cancelledHere -> dest.migrateFinish3(destParams, cookie, destFlags, cancelledHere));
        MigrationFinished finished = result.arrived();
        VirtException finishError = result.error();
        boolean cancelled = finished == null;
        try {
            source.confirm(dom, cancelled ? null : finished.cookie(), sourceFlags, cancelled);
        } catch (VirtException e) {
            LOG.log(
                    Level.WARNING,
                    "Guest {0} probably left in 'paused' state on source: {1}",
                    dom.name(),
                    e.getMessage());
            if (!cancelled) {
                throw e;
            }
        }
        if (cancelled) {
            throw finishError;
        }
    }

    /**
     * Offline: only the definition moves, so there is no Perform; Finish there defines it, Confirm here undefines
     * it with UNDEFINE_SOURCE. A Finish that fails leaves the source's definition as it was.
     */
    private void finishOffline(
            DomainObj dom,
            MigrationPhases dest,
            List<TypedParam> params,
            List<TypedParam> destParams,
            long sourceFlags,
            long destFlags) {
        // Finish3 gets the source's own cookie: a libvirt destination refuses one that names its own host.
        MigrationFinished finished =
                dest.migrateFinish3(destParams, source.offlineFinishCookie(dom, params, sourceFlags), destFlags, false);
        if (finished == null) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.QEMU,
                    "offline migration of domain '" + dom.name() + "' was not finished by the destination");
        }
        source.confirm(dom, finished.cookie(), sourceFlags, false);
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
        return withParam(params, TypedParam.string(name, value));
    }

    private static List<TypedParam> withParam(List<TypedParam> params, TypedParam param) {
        List<TypedParam> out = new ArrayList<>(without(params, param.field()));
        out.add(param);
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
