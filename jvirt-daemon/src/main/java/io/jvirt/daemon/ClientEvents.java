package io.jvirt.daemon;

import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.proto.DeviceWire;
import io.jvirt.rpc.proto.JobWire.CallbackLifecycleEvent;
import io.jvirt.rpc.proto.JobWire.JobCompletedEvent;
import io.jvirt.rpc.proto.JobWire.LifecycleEvent;
import io.jvirt.rpc.proto.JobWire.MigrationIterationEvent;
import io.jvirt.rpc.proto.RemoteProcedures;
import io.jvirt.rpc.wire.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client's event registrations (callback ids from 316, legacy event ids from 167) and the MESSAGE frames an
 * event turns into for it: lifecycle (318, or 107 for legacy ones), migration iteration (359), job completed
 * (363), device removed (333, or 311 for legacy ones) and device added (354). Registrations come from call threads, events from the driver's event thread: the
 * maps are concurrent.
 */
final class ClientEvents {
    /** {@code VIR_DOMAIN_EVENT_ID_*} that jvirtd delivers. */
    static final int ID_LIFECYCLE = 0;

    static final int ID_DEVICE_REMOVED = 15;
    static final int ID_DEVICE_ADDED = 19;
    static final int ID_MIGRATION_ITERATION = 20;
    static final int ID_JOB_COMPLETED = 21;
    /** Ids at or above this are refused; libvirt 11.3 knows fewer, and virsh registers only those it knows. */
    static final int ID_LIMIT = 64;
    /** libvirtd sends domain events with serial 1. */
    static final int EVENT_SERIAL = 1;

    private record Callback(int eventId, DomainRef only) {
        boolean matches(int id, DomainRef dom) {
            return eventId == id && (only == null || only.uuid().equals(dom.uuid()));
        }
    }

    private final Map<Integer, Callback> callbacks = new ConcurrentHashMap<>();
    private final Set<Integer> legacy = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextCallbackId = new AtomicInteger();
    private final Runnable onRegister;

    /** {@code onRegister} runs at each registration: the daemon makes sure it listens to the driver by then. */
    ClientEvents(Runnable onRegister) {
        this.onRegister = onRegister;
    }

    int register(int eventId, DomainRef only) {
        checkId(eventId);
        int id = nextCallbackId.getAndIncrement();
        callbacks.put(id, new Callback(eventId, only));
        onRegister.run();
        return id;
    }

    void deregister(int callbackId) {
        if (callbacks.remove(callbackId) == null) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG, ErrorDomain.RPC, "callback ID " + callbackId + " not registered");
        }
    }

    void registerLegacy(int eventId) {
        checkId(eventId);
        if (!legacy.add(eventId)) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC, "domain event " + eventId + " already registered");
        }
        onRegister.run();
    }

    void deregisterLegacy(int eventId) {
        if (!legacy.remove(eventId)) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC, "domain event " + eventId + " not registered");
        }
    }

    /** Whether a callback or legacy registration asks for {@code eventId}. */
    boolean listensTo(int eventId) {
        return legacy.contains(eventId) || callbacks.values().stream().anyMatch(cb -> cb.eventId() == eventId);
    }

    /** The frames this client should get for {@code event}, in registration order of nothing in particular. */
    List<Message> messagesFor(DomainEvent event) {
        List<Message> out = new ArrayList<>();
        DomainRef dom = event.domain();
        switch (event) {
            case DomainEvent.Lifecycle l -> {
                LifecycleEvent body = new LifecycleEvent(dom, l.type().wire(), l.detail());
                callbacks.forEach((id, cb) -> {
                    if (cb.matches(ID_LIFECYCLE, dom)) {
                        out.add(RemoteProcedures.DOMAIN_EVENT_CALLBACK_LIFECYCLE.event(
                                EVENT_SERIAL, new CallbackLifecycleEvent(id, body)));
                    }
                });
                if (legacy.contains(ID_LIFECYCLE)) {
                    out.add(RemoteProcedures.DOMAIN_EVENT_LIFECYCLE.event(EVENT_SERIAL, body));
                }
            }
            case DomainEvent.JobCompleted j ->
                callbacks.forEach((id, cb) -> {
                    if (cb.matches(ID_JOB_COMPLETED, dom)) {
                        out.add(RemoteProcedures.DOMAIN_EVENT_CALLBACK_JOB_COMPLETED.event(
                                EVENT_SERIAL, new JobCompletedEvent(id, dom, j.stats())));
                    }
                });
            // Callback form only: libvirtd relays this event to no legacy (callback ID -1) registration.
            case DomainEvent.DeviceRemoved r -> {
                callbacks.forEach((id, cb) -> {
                    if (cb.matches(ID_DEVICE_REMOVED, dom)) {
                        out.add(RemoteProcedures.DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED.event(
                                EVENT_SERIAL, new DeviceWire.CallbackDeviceEvent(id, dom, r.alias())));
                    }
                });
                if (legacy.contains(ID_DEVICE_REMOVED)) {
                    out.add(RemoteProcedures.DOMAIN_EVENT_DEVICE_REMOVED.event(
                            EVENT_SERIAL, new DeviceWire.DeviceRemovedEvent(dom, r.alias())));
                }
            }
            // Callback form only, as in libvirtd.
            case DomainEvent.DeviceAdded a ->
                callbacks.forEach((id, cb) -> {
                    if (cb.matches(ID_DEVICE_ADDED, dom)) {
                        out.add(RemoteProcedures.DOMAIN_EVENT_CALLBACK_DEVICE_ADDED.event(
                                EVENT_SERIAL, new DeviceWire.CallbackDeviceEvent(id, dom, a.alias())));
                    }
                });
            case DomainEvent.MigrationIteration m ->
                callbacks.forEach((id, cb) -> {
                    if (cb.matches(ID_MIGRATION_ITERATION, dom)) {
                        out.add(RemoteProcedures.DOMAIN_EVENT_CALLBACK_MIGRATION_ITERATION.event(
                                EVENT_SERIAL, new MigrationIterationEvent(id, dom, m.iteration())));
                    }
                });
        }
        return out;
    }

    private static void checkId(int eventId) {
        if (eventId < 0 || eventId >= ID_LIMIT) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.RPC, "unsupported event ID " + eventId);
        }
    }
}
