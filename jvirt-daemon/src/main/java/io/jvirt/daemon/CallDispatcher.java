package io.jvirt.daemon;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.proto.RemoteProcedures;
import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageStatus;
import io.jvirt.rpc.wire.MessageType;
import io.jvirt.rpc.wire.Program;
import io.jvirt.rpc.wire.RemoteError;
import io.jvirt.rpc.xdr.XdrException;
import java.util.Optional;

/**
 * Turns one client's calls into replies: finds the {@link Route} of a CALL, refuses what the connection may not
 * do, runs the route on the call's own thread and answers with its result or error. This is where errors become
 * wire errors: a {@link VirtException} keeps its code, domain and message; a malformed argument is libvirt's RPC
 * error; anything else is an internal error (and logged). Refusals are worded as libvirtd words them.
 *
 * <p>Threading: {@link #dispatch} on the session's reader thread (it may wait there for a call slot); each call
 * runs on a virtual thread of its own ({@code jvirtd-call-N-SERIAL}, see {@link CallSlots}).
 */
final class CallDispatcher {
    private static final System.Logger LOG = System.getLogger(CallDispatcher.class.getName());
    /** The call a handler serves, so a stream-opening handler can name its stream. */
    private static final ScopedValue<Header> CURRENT_CALL = ScopedValue.newInstance();

    private final ClientSession session;
    private final DispatchTable table;
    private final ConnectState connect;
    private final CallSlots slots;
    private final FrameSender out;
    private final StreamRegistry streams;

    CallDispatcher(
            ClientSession session,
            DispatchTable table,
            ConnectState connect,
            CallSlots slots,
            FrameSender out,
            StreamRegistry streams) {
        this.session = session;
        this.table = table;
        this.connect = connect;
        this.slots = slots;
        this.out = out;
        this.streams = streams;
    }

    /** The header of the call the current thread serves (only inside a handler). */
    static Header currentCall() {
        return CURRENT_CALL.get();
    }

    /** A frame that is neither keepalive nor stream: a CALL starts, anything else is refused or dropped. */
    void dispatch(Message m) throws InterruptedException {
        Header h = m.header();
        if (h.type() == MessageType.CALL_WITH_FDS) {
            sendError(h, RemoteError.rpc("jvirtd does not accept file descriptors"));
            return;
        }
        if (h.type() != MessageType.CALL) {
            return; // stray replies and events are dropped, as libvirtd drops them
        }
        boolean jvirt = Program.JVIRT.matches(h);
        boolean qemu = Program.QEMU.matches(h);
        if (!Program.REMOTE.matches(h) && !jvirt && !qemu) {
            boolean served = Program.LXC.matches(h);
            LOG.log(
                    System.Logger.Level.INFO,
                    "client {0}: call to program {1} procedure {2} not served",
                    session.id(),
                    Integer.toHexString(h.program()),
                    h.procedure());
            sendError(
                    h,
                    served
                            ? RemoteError.unknownProcedure(h.procedure())
                            : RemoteError.unknownProgram(h.program(), h.version()));
            return;
        }
        if (h.status() != MessageStatus.OK) {
            sendError(
                    h, RemoteError.rpc("Unexpected message status " + h.status().wire()));
            return;
        }
        Optional<Route<?, ?>> route = jvirt
                ? table.jvirtRoute(h.procedure())
                : qemu ? table.qemuRoute(h.procedure()) : table.route(h.procedure());
        if (route.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "client {0}: unknown procedure {1}", session.id(), h.procedure());
            sendError(h, RemoteError.unknownProcedure(h.procedure()));
            return;
        }
        Route<?, ?> r = route.get();
        if (connect.isReadOnly() && !r.readOnlySafe()) {
            sendError(h, RemoteError.from(readOnlyRefusal(r)));
            return;
        }
        slots.start("jvirtd-call-" + session.id() + "-" + h.serial(), () -> runCall(r, m));
    }

    private void runCall(Route<?, ?> route, Message call) {
        CallLog log = new CallLog(session.id(), route.procedure().name(), session.calls());
        Header h = call.header();
        Message reply;
        try {
            reply = run(route, session, call, log);
            log.ok();
        } catch (VirtException e) {
            log.error(e.code().wire());
            reply = errorMessage(h, RemoteError.from(e));
        } catch (XdrException e) {
            log.error(ErrorCode.RPC.wire());
            reply = errorMessage(
                    h, RemoteError.rpc("Unable to handle " + route.procedure().name() + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "client " + session.id() + " " + route.procedure().name() + " failed",
                    e);
            log.error(ErrorCode.INTERNAL_ERROR.wire());
            reply = errorMessage(
                    h,
                    RemoteError.from(VirtException.of(
                            ErrorCode.INTERNAL_ERROR, ErrorDomain.REMOTE, String.valueOf(e.getMessage()), e)));
        }
        out.send(reply);
        streams.replied(h, reply.header().status() == MessageStatus.OK);
        if (connect.closesAfterReply() && h.procedure() == RemoteProcedures.CONNECT_CLOSE.number()) {
            session.close();
        }
    }

    /** Runs a call's route as a call thread does: {@link #currentCall} is the call's header meanwhile. */
    static Message run(Route<?, ?> route, ClientSession session, Message call, CallLog log) {
        return ScopedValue.where(CURRENT_CALL, call.header()).call(() -> route.run(session, call, log));
    }

    /** libvirt's wording: "operation forbidden: read only access prevents virDomainCreate". */
    static VirtException readOnlyRefusal(Route<?, ?> route) {
        return VirtException.of(
                ErrorCode.OPERATION_DENIED,
                ErrorDomain.REMOTE,
                "read only access prevents " + apiName(route.procedure().name()));
    }

    /** DOMAIN_CREATE_WITH_FLAGS to virDomainCreateWithFlags: the public API a procedure serves. */
    static String apiName(String procedure) {
        StringBuilder b = new StringBuilder("vir");
        for (String part : procedure.split("_")) {
            b.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return b.toString().replace("Xml", "XML");
    }

    private void sendError(Header call, RemoteError error) {
        out.send(errorMessage(call, error));
    }

    private static Message errorMessage(Header call, RemoteError error) {
        return Message.of(call.reply(MessageStatus.ERROR), RemoteError.CODEC, error);
    }
}
