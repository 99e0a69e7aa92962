package io.jvirt.driver.migration.peer;

import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainState;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.migration.MigrationSource;
import io.jvirt.driver.migration.tunnel.OutgoingTransport;
import io.jvirt.driver.migration.tunnel.SourceTunnel;
import java.util.List;

/**
 * Peer-to-peer migration over protocol v2, for a destination that announces neither v3 nor typed parameters (as
 * libvirt's source does for such a peer): Prepare2 there (PrepareTunnel with {@link MigrateFlags#TUNNELLED}, the
 * bytes then travel through the peer connection's stream), the transfer here, Finish2 there with Perform's result.
 * No cookies cross either way; the destination gets the domain XML, its name, the migration URI and the bandwidth
 * as Prepare2's arguments. The whole sequence is one MIGRATION_OUT job (phase perform2) that ends only after
 * Finish2: the source's QEMU stops when the destination has the guest, and in every other case the guest runs on
 * here, as with v3 (a failed transfer is rolled back at once and Finish2 is told so, which tears the destination's
 * incoming domain down; a failed Finish2 resumes the guest here).
 *
 * <p>Threading: runs on the Perform caller's thread; the tunnel's bytes move on the destination connection's pump
 * thread.
 */
final class PeerMigrationV2 {
    private final MigrationSource source;

    PeerMigrationV2(MigrationSource source) {
        this.source = source;
    }

    /** Migrates {@code dom} to the destination behind {@code link}; {@code flags} carry no change protection. */
    void migrate(DomainObj dom, PeerLink link, List<TypedParam> params, long flags) {
        MigrationPhases dest = MigrationPhases.of(link.connection());
        boolean tunnelled = (flags & MigrateFlags.TUNNELLED) != 0;
        String xml = source.beginPeerVersion2(dom, params, flags);
        long destFlags = flags & ~MigrateFlags.SOURCE_ONLY;
        if (dom.status().state() == DomainState.PAUSED) {
            destFlags |= MigrateFlags.PAUSED;
        }
        String dname = PeerMigration.find(params, MigrateParams.DEST_NAME);
        String uriIn = PeerMigration.find(params, MigrateParams.URI);
        long bandwidth = bandwidth(params);

        SourceTunnel tunnel = tunnelled ? SourceTunnel.open(link::lost) : null;
        String uriOut = null;
        try {
            if (tunnelled) {
                dest.migratePrepareTunnel(destFlags, dname, bandwidth, xml, tunnel.channel());
            } else {
                uriOut = dest.migratePrepare2(uriIn, destFlags, dname, bandwidth, xml);
            }
        } catch (RuntimeException e) {
            if (tunnel != null) {
                tunnel.close();
            }
            source.endPeerVersion2(dom, false);
            throw e;
        }

        String uri = uriOut != null ? uriOut : uriIn;
        VirtException performError = null;
        if (!tunnelled && uri == null) {
            performError = VirtException.of(
                    ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "domainMigratePrepare2 did not set uri");
            source.endPeerVersion2(dom, false);
        } else {
            OutgoingTransport transport = tunnelled ? tunnel : new PeerMigration.NativeTransport(link);
            List<TypedParam> performParams = tunnelled ? params : PeerMigration.with(params, MigrateParams.URI, uri);
            try {
                source.performPeerVersion2(dom, performParams, flags, transport);
            } catch (VirtException e) {
                performError = e;
            }
        }

        String finishName = dname != null ? dname : dom.name();
        String finishUri = uri != null ? uri : link.uri();
        long finishFlags = destFlags;
        PeerFinish<DomainRef> finished = PeerFinish.call(
                link,
                dom,
                performError,
                cancelled -> dest.migrateFinish2(finishName, finishUri, finishFlags, cancelled));
        source.endPeerVersion2(dom, finished.arrived() != null);
        if (finished.arrived() == null) {
            throw finished.error() != null
                    ? finished.error()
                    : VirtException.of(
                            ErrorCode.OPERATION_FAILED,
                            ErrorDomain.QEMU,
                            "the destination did not start domain '" + dom.name() + "'");
        }
    }

    /** The bandwidth parameter in MiB/s, 0 (unlimited) when absent: v2 passes it as Prepare's resource. */
    private static long bandwidth(List<TypedParam> params) {
        for (TypedParam p : params) {
            if (p.field().equals(MigrateParams.BANDWIDTH) && p.value() instanceof Number n) {
                return n.longValue();
            }
        }
        return 0;
    }
}
