package io.jvirt.remote;

import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY;

import io.jvirt.api.DomainEventId;
import io.jvirt.api.DomainEventListener;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.proto.ConnectWire.EventCallbackRegisterArgs;
import io.jvirt.rpc.proto.Procedure;
import io.jvirt.rpc.wire.Program;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A connection's domain event callbacks on the server (CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY per event id):
 * registers the callbacks of the event kinds a listener asks for (by default lifecycle, job-completed and
 * migration-iteration, as libvirt's own clients register them), and deregisters them when the listener's handle or
 * the connection is closed.
 *
 * <p>Threading: any caller thread; the ids are recorded on the reader thread as the reply arrives, so an event that
 * follows the reply at once already finds its listener.
 */
final class EventCallbacks {
    private final RpcClient client;
    private final EventDispatcher events;
    private final List<Integer> callbacks = new CopyOnWriteArrayList<>();

    EventCallbacks(RpcClient client, EventDispatcher events) {
        this.client = client;
        this.events = events;
    }

    /**
     * Registers {@code listener} for every domain's events of the kinds {@code wanted}; the handle deregisters them.
     * Lifecycle must be accepted; a server without one of the other kinds still delivers the rest.
     */
    AutoCloseable add(DomainEventListener listener, Set<DomainEventId> wanted) {
        List<Integer> ids = new ArrayList<>();
        try {
            // In declaration order, lifecycle first: the defaults go out as libvirt's clients send them (0, 21, 20).
            for (DomainEventId id : EnumSet.copyOf(wanted)) {
                try {
                    ids.add(register(id.wire(), listener));
                } catch (VirtException e) {
                    if (id == DomainEventId.LIFECYCLE
                            || e.code() != ErrorCode.NO_SUPPORT && e.code() != ErrorCode.INVALID_ARG) {
                        throw e;
                    }
                }
            }
        } catch (VirtException e) {
            ids.forEach(this::deregisterQuietly);
            throw e;
        }
        callbacks.addAll(ids);
        return () -> ids.forEach(id -> {
            if (callbacks.remove((Object) id)) { // the id, not an index
                deregisterQuietly(id);
            }
        });
    }

    /** Deregisters every callback still registered (the connection is closing). */
    void removeAll() {
        for (Integer id : List.copyOf(callbacks)) {
            if (callbacks.remove((Object) id)) { // the id, not an index
                deregisterQuietly(id);
            }
        }
    }

    private int register(int eventId, DomainEventListener listener) {
        Procedure<EventCallbackRegisterArgs, Integer> p = CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY;
        var reply = client.send(
                Program.REMOTE,
                p.number(),
                p.args(),
                new EventCallbackRegisterArgs(eventId, null),
                m -> events.register(p.decodeRet(m), listener),
                null);
        return RpcClient.decodeReply(RpcClient.await(reply), p.ret());
    }

    private void deregisterQuietly(int callbackId) {
        events.unregister(callbackId);
        if (client.isAlive()) {
            try {
                Procedure<Integer, Void> p = CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY;
                client.call(Program.REMOTE, p.number(), p.args(), callbackId, p.ret());
            } catch (VirtException e) {
                // The server forgets callbacks with the connection anyway.
            }
        }
    }
}
