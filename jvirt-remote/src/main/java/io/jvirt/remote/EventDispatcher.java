package io.jvirt.remote;

import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainEventListener;
import io.jvirt.api.DomainEventType;
import io.jvirt.rpc.proto.DeviceWire.CallbackDeviceEvent;
import io.jvirt.rpc.proto.JobWire.CallbackLifecycleEvent;
import io.jvirt.rpc.proto.JobWire.JobCompletedEvent;
import io.jvirt.rpc.proto.JobWire.MigrationIterationEvent;
import io.jvirt.rpc.proto.RemoteProcedures;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.Program;
import io.jvirt.rpc.xdr.XdrException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Turns the server's event MESSAGEs (callback form: lifecycle 318, migration iteration 359, job completed 363)
 * into {@link DomainEvent}s for the listener registered under their callback id. Decoding happens on the reader
 * thread; listeners run one event at a time, in arrival order, on one virtual thread of this connection.
 */
final class EventDispatcher implements Consumer<Message> {
    private static final System.Logger LOG = System.getLogger(EventDispatcher.class.getName());

    /** {@code VIR_DOMAIN_EVENT_ID_LIFECYCLE}. */
    static final int LIFECYCLE = 0;
    /** {@code VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION}. */
    static final int MIGRATION_ITERATION = 20;
    /** {@code VIR_DOMAIN_EVENT_ID_JOB_COMPLETED}. */
    static final int JOB_COMPLETED = 21;
    /** {@code VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED}. */
    static final int DEVICE_REMOVED = 15;
    /** {@code VIR_DOMAIN_EVENT_ID_DEVICE_ADDED}. */
    static final int DEVICE_ADDED = 19;

    private final Map<Integer, DomainEventListener> listeners = new ConcurrentHashMap<>();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("jvirt-remote-events").factory());

    void register(int callbackId, DomainEventListener listener) {
        listeners.put(callbackId, listener);
    }

    void unregister(int callbackId) {
        listeners.remove(callbackId);
    }

    /** Stops delivering; events already queued are still delivered. */
    void shutdown() {
        delivery.shutdown();
    }

    @Override
    public void accept(Message m) {
        if (!Program.REMOTE.matches(m.header())) {
            return;
        }
        try {
            int proc = m.header().procedure();
            if (proc == RemoteProcedures.DOMAIN_EVENT_CALLBACK_LIFECYCLE.number()) {
                CallbackLifecycleEvent e = m.decode(CallbackLifecycleEvent.CODEC);
                deliver(
                        e.callbackId(),
                        new DomainEvent.Lifecycle(
                                e.msg().dom(),
                                eventType(e.msg().event()),
                                e.msg().detail()));
            } else if (proc == RemoteProcedures.DOMAIN_EVENT_CALLBACK_JOB_COMPLETED.number()) {
                JobCompletedEvent e = m.decode(JobCompletedEvent.CODEC);
                deliver(e.callbackId(), new DomainEvent.JobCompleted(e.dom(), e.params()));
            } else if (proc == RemoteProcedures.DOMAIN_EVENT_CALLBACK_MIGRATION_ITERATION.number()) {
                MigrationIterationEvent e = m.decode(MigrationIterationEvent.CODEC);
                deliver(e.callbackId(), new DomainEvent.MigrationIteration(e.dom(), e.iteration()));
            } else if (proc == RemoteProcedures.DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED.number()) {
                CallbackDeviceEvent e = m.decode(CallbackDeviceEvent.CODEC);
                deliver(e.callbackId(), new DomainEvent.DeviceRemoved(e.dom(), e.alias()));
            } else if (proc == RemoteProcedures.DOMAIN_EVENT_CALLBACK_DEVICE_ADDED.number()) {
                CallbackDeviceEvent e = m.decode(CallbackDeviceEvent.CODEC);
                deliver(e.callbackId(), new DomainEvent.DeviceAdded(e.dom(), e.alias()));
            } else {
                LOG.log(System.Logger.Level.DEBUG, "ignoring event procedure {0}", proc);
            }
        } catch (XdrException e) {
            LOG.log(System.Logger.Level.WARNING, "undecodable event " + m.header() + ": " + e.getMessage());
        }
    }

    private void deliver(int callbackId, DomainEvent event) {
        DomainEventListener listener = listeners.get(callbackId);
        if (listener == null) {
            return;
        }
        try {
            delivery.execute(() -> {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "event listener failed on " + event + ": " + e, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "connection closed; dropping {0}", event);
        }
    }

    private static DomainEventType eventType(int wire) {
        for (DomainEventType t : DomainEventType.values()) {
            if (t.wire() == wire) {
                return t;
            }
        }
        throw new XdrException("unknown lifecycle event " + wire);
    }
}
