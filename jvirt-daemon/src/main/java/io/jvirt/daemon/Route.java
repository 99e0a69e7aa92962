package io.jvirt.daemon;

import io.jvirt.rpc.proto.Procedure;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageStatus;

/**
 * One row of the {@link DispatchTable}: a procedure, whether read-only clients may call it, and its handler.
 * Immutable; shared by every client thread.
 */
public record Route<A, R>(Procedure<A, R> procedure, Access access, Handler<A, R> handler) {

    /** Decodes the call's args, runs the handler and encodes its reply; exceptions propagate to the caller. */
    Message run(ClientSession client, Message call, CallLog log) {
        A args = procedure.decodeArgs(call);
        log.domain(CallLog.domainOf(args));
        R ret = handler.handle(client, args);
        return Message.of(call.header().reply(MessageStatus.OK), procedure.ret(), ret);
    }

    /** Whether read-only clients may call it. */
    public boolean readOnlySafe() {
        return access == Access.QUERY;
    }
}
