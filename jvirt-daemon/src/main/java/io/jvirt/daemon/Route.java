package io.jvirt.daemon;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.proto.Procedure;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageStatus;
import io.jvirt.rpc.xdr.XdrException;

/**
 * One row of the {@link DispatchTable}: a procedure, whether read-only clients may call it, and its handler.
 * Immutable; shared by every client thread.
 */
public record Route<A, R>(Procedure<A, R> procedure, Access access, Handler<A, R> handler) {

    private static final System.Logger LOG = System.getLogger(Route.class.getName());

    /** libvirt's words for arguments that do not decode (a count over its limit, a length past the frame). */
    static final String UNDECODABLE = "Unable to decode message payload";

    /**
     * Decodes the call's args, runs the handler and encodes its reply; exceptions propagate to the caller. Args
     * that do not decode are libvirt's RPC error, the detail going to the log only, as libvirtd words it.
     */
    Message run(ClientSession client, Message call, CallLog log) {
        A args;
        try {
            args = procedure.decodeArgs(call);
        } catch (XdrException e) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "client {0}: {1} args do not decode: {2}",
                    client.id(),
                    procedure.name(),
                    e.getMessage());
            throw VirtException.of(ErrorCode.RPC, ErrorDomain.RPC, UNDECODABLE, e);
        }
        log.decoded(args);
        R ret = handler.handle(client, args);
        return Message.of(call.header().reply(MessageStatus.OK), procedure.ret(), ret);
    }

    /** Whether read-only clients may call it. */
    public boolean readOnlySafe() {
        return access == Access.QUERY;
    }
}
