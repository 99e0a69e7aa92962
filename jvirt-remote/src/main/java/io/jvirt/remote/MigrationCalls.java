package io.jvirt.remote;

import static io.jvirt.rpc.proto.RemoteProcedures.*;

import io.jvirt.api.DomainRef;
import io.jvirt.api.MigrationBegin;
import io.jvirt.api.MigrationFinished;
import io.jvirt.api.MigrationPrepared;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.proto.Cookie;
import io.jvirt.rpc.proto.JvirtProcedures;
import io.jvirt.rpc.proto.JvirtProcedures.TunnelChannelArgs;
import io.jvirt.rpc.proto.MigrationV2Wire.Finish2Args;
import io.jvirt.rpc.proto.MigrationV2Wire.PerformArgs;
import io.jvirt.rpc.proto.MigrationV2Wire.Prepare2Args;
import io.jvirt.rpc.proto.MigrationV2Wire.Prepare2Ret;
import io.jvirt.rpc.proto.MigrationV2Wire.PrepareTunnelArgs;
import io.jvirt.rpc.proto.MigrationWire.Begin3ParamsArgs;
import io.jvirt.rpc.proto.MigrationWire.Begin3ParamsRet;
import io.jvirt.rpc.proto.MigrationWire.Confirm3ParamsArgs;
import io.jvirt.rpc.proto.MigrationWire.Finish3ParamsArgs;
import io.jvirt.rpc.proto.MigrationWire.Finish3ParamsRet;
import io.jvirt.rpc.proto.MigrationWire.Perform3ParamsArgs;
import io.jvirt.rpc.proto.MigrationWire.Prepare3ParamsArgs;
import io.jvirt.rpc.proto.MigrationWire.Prepare3ParamsRet;
import io.jvirt.rpc.proto.Procedure;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.Program;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The migration phases as remote calls: v3 with typed parameters (302–307, and 304 with its stream) and v2
 * (108, 62, 109, and 148 with its stream). Cookies cross as NUL-terminated text ({@link CookieText}); v3 flags go out as 32 bits, v2 as
 * 64, as the wire declares them.
 */
final class MigrationCalls {
    private final RpcClient client;

    MigrationCalls(RpcClient client) {
        this.client = client;
    }

    private <A, R> R call(Procedure<A, R> p, A args) {
        return client.call(Program.REMOTE, p.number(), p.args(), args, p.ret());
    }

    MigrationBegin begin3(DomainRef domain, List<TypedParam> params, long flags) {
        Begin3ParamsRet r = call(DOMAIN_MIGRATE_BEGIN3_PARAMS, new Begin3ParamsArgs(domain, params, (int) flags));
        return new MigrationBegin(r.xml(), CookieText.fromWire(r.cookieOut()));
    }

    MigrationPrepared prepare3(List<TypedParam> params, String cookie, long flags) {
        Prepare3ParamsRet r = call(
                DOMAIN_MIGRATE_PREPARE3_PARAMS, new Prepare3ParamsArgs(params, CookieText.toWire(cookie), (int) flags));
        return new MigrationPrepared(CookieText.fromWire(r.cookieOut()), r.uriOut());
    }

    TunnelPrepared prepareTunnel3(List<TypedParam> params, String cookie, long flags) {
        WithStream<Cookie> opened = callWithStream(
                Program.REMOTE,
                DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS,
                new Prepare3ParamsArgs(params, CookieText.toWire(cookie), (int) flags));
        return new TunnelPrepared(CookieText.fromWire(opened.ret()), opened.stream());
    }

    String perform3(DomainRef domain, String dconnuri, List<TypedParam> params, String cookie, long flags) {
        Cookie out = call(
                DOMAIN_MIGRATE_PERFORM3_PARAMS,
                new Perform3ParamsArgs(domain, dconnuri, params, CookieText.toWire(cookie), (int) flags));
        return CookieText.fromWire(out);
    }

    MigrationFinished finish3(List<TypedParam> params, String cookie, long flags, boolean cancelled) {
        Finish3ParamsRet r = call(
                DOMAIN_MIGRATE_FINISH3_PARAMS,
                new Finish3ParamsArgs(params, CookieText.toWire(cookie), (int) flags, cancelled ? 1 : 0));
        return new MigrationFinished(r.dom(), CookieText.fromWire(r.cookieOut()));
    }

    void confirm3(DomainRef domain, List<TypedParam> params, String cookie, long flags, boolean cancelled) {
        call(
                DOMAIN_MIGRATE_CONFIRM3_PARAMS,
                new Confirm3ParamsArgs(domain, params, CookieText.toWire(cookie), (int) flags, cancelled ? 1 : 0));
    }

    /** The URI the source is to migrate to: the destination's choice, else the caller's. */
    String prepare2(String uri, long flags, String dname, long bandwidthMiBps, String domainXml) {
        Prepare2Ret r = call(DOMAIN_MIGRATE_PREPARE2, new Prepare2Args(uri, flags, dname, bandwidthMiBps, domainXml));
        return r.uriOut() != null ? r.uriOut() : uri;
    }

    void perform2(DomainRef domain, String uri, long flags, String dname, long bandwidthMiBps) {
        call(DOMAIN_MIGRATE_PERFORM, new PerformArgs(domain, Cookie.EMPTY, uri, flags, dname, bandwidthMiBps));
    }

    /** {@code retcode} is Perform's result as libvirt passes it: 0 for success, -1 when cancelled. */
    DomainRef finish2(String dname, String uri, long flags, boolean cancelled) {
        return call(DOMAIN_MIGRATE_FINISH2, new Finish2Args(dname, Cookie.EMPTY, uri, flags, cancelled ? -1 : 0));
    }

    /**
     * v2's tunnelled Prepare (148): no cookies, the domain's XML and name as arguments; the reply opens the stream
     * for QEMU's migration bytes, as {@link #prepareTunnel3} does.
     */
    RemoteStream prepareTunnel(long flags, String dname, long bandwidthMiBps, String domainXml) {
        return callWithStream(
                Program.REMOTE,
                DOMAIN_MIGRATE_PREPARE_TUNNEL,
                new PrepareTunnelArgs(flags, dname, bandwidthMiBps, domainXml))
                .stream();
    }

    /** jvirt's channel call: the stream for channel {@code channel} of the tunnelled migration of {@code name}. */
    RemoteStream tunnelChannel(String name, int channel) {
        return callWithStream(
                Program.JVIRT, JvirtProcedures.MIGRATE_TUNNEL_CHANNEL, new TunnelChannelArgs(name, channel))
                .stream();
    }

    /** jvirt's storage tunnel call: the stream for NBD connection {@code connection} of the migration of {@code name}. */
    RemoteStream tunnelNbd(String name, int connection) {
        return callWithStream(
                Program.JVIRT, JvirtProcedures.MIGRATE_TUNNEL_NBD, new TunnelChannelArgs(name, connection))
                .stream();
    }

    /** A call whose stream the caller then writes; a refused call leaves no stream behind. */
    private <A, R> WithStream<R> callWithStream(Program program, Procedure<A, R> p, A args) {
        int limit = client.options().streamBufferBytes();
        RemoteStream[] opened = new RemoteStream[1];
        CompletableFuture<Message> reply = client.send(
                program,
                p.number(),
                p.args(),
                args,
                null,
                header -> opened[0] = new RemoteStream(client, header, limit));
        try {
            return new WithStream<>(RpcClient.decodeReply(RpcClient.await(reply), p.ret()), opened[0]);
        } catch (VirtException e) {
            if (opened[0] != null) {
                client.forgetStream(serialOf(opened[0]));
            }
            throw e;
        }
    }

    private record WithStream<R>(R ret, RemoteStream stream) {}

    private static int serialOf(RemoteStream s) {
        return s.serial();
    }
}
