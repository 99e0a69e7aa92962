package io.jvirt.daemon;

import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_MIGRATE_BEGIN3_PARAMS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_MIGRATE_CONFIRM3_PARAMS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_MIGRATE_FINISH2;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_MIGRATE_FINISH3_PARAMS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_MIGRATE_GET_MAX_DOWNTIME;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_MIGRATE_GET_MAX_SPEED;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_MIGRATE_PERFORM;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_MIGRATE_PERFORM3_PARAMS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_MIGRATE_PREPARE2;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_MIGRATE_PREPARE3_PARAMS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_MIGRATE_PREPARE_TUNNEL;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_MIGRATE_SET_MAX_DOWNTIME;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_MIGRATE_SET_MAX_SPEED;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_MIGRATE_START_POST_COPY;

import io.jvirt.api.MigrateParams;
import io.jvirt.api.MigrationBegin;
import io.jvirt.api.MigrationFinished;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.MigrationPrepared;
import io.jvirt.api.TypedParam;
import io.jvirt.config.DomainXml;
import io.jvirt.rpc.proto.Cookie;
import io.jvirt.rpc.proto.JvirtProcedures;
import io.jvirt.rpc.proto.MigrationV2Wire.Prepare2Ret;
import io.jvirt.rpc.proto.MigrationWire.Begin3ParamsRet;
import io.jvirt.rpc.proto.MigrationWire.Finish3ParamsRet;
import io.jvirt.rpc.proto.MigrationWire.Prepare3ParamsRet;
import io.jvirt.rpc.proto.Procedure;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Migration tuning and the v3-params and v2 phases. The driver takes cookies as text; on the wire libvirt's
 * cookies are NUL-terminated XML, so the NUL is dropped coming in and added going out. Tunnelled migration is
 * served with the v3-params call (304) and v2's PrepareTunnel (148), their streams read by the driver through
 * {@link IncomingStream}; jvirt's own channel call adds streams to a tunnelled migration with several channels,
 * and its NBD call carries one NBD connection of a tunnelled storage copy both ways.
 * With the interop/testing switch {@code interop_migration_v2_only} the v3 calls are
 * refused, as by a libvirtd without them.
 */
final class MigrationRoutes {
    private MigrationRoutes() {}

    static void addTo(DispatchTable.Builder t) {
        t.mutate(DOMAIN_MIGRATE_SET_MAX_SPEED, (c, a) -> {
            c.driver().migrateSetMaxSpeed(a.dom(), a.value(), a.flags());
            return null;
        });
        // Refused read-only as libvirt refuses it (its ACL is domain:migrate); GetMaxDowntime below is not, in libvirt
        // neither (LibvirtReadOnlyParityIT).
        t.mutate(DOMAIN_MIGRATE_GET_MAX_SPEED, (c, a) -> c.driver().migrateGetMaxSpeed(a.dom(), a.flags()));
        t.mutate(DOMAIN_MIGRATE_SET_MAX_DOWNTIME, (c, a) -> {
            c.driver().migrateSetMaxDowntime(a.dom(), a.value(), a.flags());
            return null;
        });
        t.query(DOMAIN_MIGRATE_GET_MAX_DOWNTIME, (c, a) -> c.driver().migrateGetMaxDowntime(a.dom(), a.flags()));
        t.mutate(DOMAIN_MIGRATE_START_POST_COPY, (c, a) -> {
            c.driver().migrateStartPostCopy(a.dom(), a.flags());
            return null;
        });

        mutateV3(t, DOMAIN_MIGRATE_BEGIN3_PARAMS, (c, a) -> {
            MigrationBegin b = phases(c).migrateBegin3(a.dom(), a.params(), Integer.toUnsignedLong(a.flags()));
            return new Begin3ParamsRet(toWire(b.cookie()), b.domainXml());
        });
        mutateV3(t, DOMAIN_MIGRATE_PREPARE3_PARAMS, (c, a) -> {
            MigrationPrepared p =
                    phases(c).migratePrepare3(a.params(), fromWire(a.cookieIn()), Integer.toUnsignedLong(a.flags()));
            c.destroyOnCloseWhileIncoming(incomingName(a.params(), null));
            return new Prepare3ParamsRet(toWire(p.cookie()), p.uri());
        });
        mutateV3(t, DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS, (c, a) -> {
            // The stream's data packets feed the driver's pump into the new QEMU (see IncomingStream).
            IncomingStream data = c.openStream();
            MigrationPrepared p = phases(c)
                    .migratePrepareTunnel3(a.params(), fromWire(a.cookieIn()), Integer.toUnsignedLong(a.flags()), data);
            c.destroyOnCloseWhileIncoming(incomingName(a.params(), null));
            return toWire(p.cookie());
        });
        mutateV3(
                t,
                DOMAIN_MIGRATE_PERFORM3_PARAMS,
                (c, a) -> toWire(phases(c)
                        .migratePerform3(
                                a.dom(),
                                a.dconnuri(),
                                a.params(),
                                fromWire(a.cookieIn()),
                                Integer.toUnsignedLong(a.flags()))));
        mutateV3(t, DOMAIN_MIGRATE_FINISH3_PARAMS, (c, a) -> {
            MigrationFinished f = phases(c)
                    .migrateFinish3(
                            a.params(), fromWire(a.cookieIn()), Integer.toUnsignedLong(a.flags()), a.cancelled() != 0);
            return new Finish3ParamsRet(f.domain(), toWire(f.cookie()));
        });
        mutateV3(t, DOMAIN_MIGRATE_CONFIRM3_PARAMS, (c, a) -> {
            phases(c)
                    .migrateConfirm3(
                            a.dom(),
                            a.params(),
                            fromWire(a.cookieIn()),
                            Integer.toUnsignedLong(a.flags()),
                            a.cancelled() != 0);
            return null;
        });

        t.mutate(DOMAIN_MIGRATE_PREPARE2, (c, a) -> {
            String uri = phases(c).migratePrepare2(a.uriIn(), a.flags(), a.dname(), a.resource(), a.domXml());
            c.destroyOnCloseWhileIncoming(incomingName(
                    List.of(),
                    a.dname() != null ? a.dname() : DomainXml.parse(a.domXml()).name()));
            return new Prepare2Ret(Cookie.EMPTY, uri);
        });
        t.mutate(DOMAIN_MIGRATE_PREPARE_TUNNEL, (c, a) -> {
            // As 304 above, without cookies: the stream's data packets feed the driver's pump into the new QEMU.
            IncomingStream data = c.openStream();
            phases(c).migratePrepareTunnel(a.flags(), a.dname(), a.resource(), a.domXml(), data);
            c.destroyOnCloseWhileIncoming(incomingName(
                    List.of(),
                    a.dname() != null ? a.dname() : DomainXml.parse(a.domXml()).name()));
            return null;
        });
        t.jvirt(JvirtProcedures.MIGRATE_TUNNEL_CHANNEL, (c, a) -> {
            // One more stream of a tunnelled migration with several channels; it feeds that channel's relay.
            phases(c).migrateTunnelChannel(a.name(), a.channel(), c.openStream());
            return null;
        });
        t.jvirt(JvirtProcedures.MIGRATE_TUNNEL_NBD, (c, a) -> {
            // One NBD connection of a tunnelled storage copy: requests in the stream, the answers back on it.
            IncomingStream requests = c.openStream();
            phases(c).migrateTunnelNbd(a.name(), a.channel(), requests, c.repliesOn(requests));
            return null;
        });
        t.mutate(DOMAIN_MIGRATE_PERFORM, (c, a) -> {
            phases(c).migratePerform2(a.dom(), a.uri(), a.flags(), a.dname(), a.resource());
            return null;
        });
        t.mutate(
                DOMAIN_MIGRATE_FINISH2,
                (c, a) -> phases(c).migrateFinish2(a.dname(), a.uri(), a.flags(), a.retcode() != 0));
    }

    /**
     * A v3 procedure, refused with libvirt's "not supported by the connection driver" while the daemon poses as
     * one without v3 ({@code interop_migration_v2_only}).
     */
    private static <A, R> void mutateV3(DispatchTable.Builder t, Procedure<A, R> p, Handler<A, R> h) {
        String api = CallDispatcher.apiName(p.name());
        t.mutate(p, (c, a) -> {
            c.requireMigrationV3(api);
            return h.handle(c, a);
        });
    }

    /** The driver's migration phases, which these procedures serve. */
    private static MigrationPhases phases(ClientSession c) {
        return MigrationPhases.of(c.driver());
    }

    /** The name an incoming domain has here: destination_name, else the name in destination_xml. */
    static String incomingName(List<TypedParam> params, String given) {
        if (given != null) {
            return given;
        }
        return TypedParam.find(params, MigrateParams.DEST_NAME)
                .map(Object::toString)
                .orElseGet(() -> DomainXml.parse(TypedParam.find(params, MigrateParams.DEST_XML)
                                .map(Object::toString)
                                .orElseThrow())
                        .name());
    }

    /** Cookie bytes as the driver's text: UTF-8 up to the first NUL; empty stays empty. */
    static String fromWire(Cookie cookie) {
        byte[] b = cookie.bytes();
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    /** The driver's cookie text as libvirt sends it: NUL-terminated, or empty. */
    static Cookie toWire(String cookie) {
        if (cookie == null || cookie.isEmpty()) {
            return Cookie.EMPTY;
        }
        byte[] text = cookie.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[text.length + 1];
        System.arraycopy(text, 0, b, 0, text.length);
        return new Cookie(b);
    }
}
