package io.jvirt.daemon;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainEventListener;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemon's one listener on the driver, handing each event to every connected client (each client filters by
 * its own registrations and sends on its own event thread, so a slow client never holds up the driver). A driver
 * without events yet ({@link ErrorCode#NO_SUPPORT}) is asked again at the next registration.
 */
final class EventFanout implements DomainEventListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventFanout.class.getName());

    private final Connection driver;
    private final DomainEventListener observer;
    private final Set<ClientSession> clients = ConcurrentHashMap.newKeySet();
    private AutoCloseable registration;

    EventFanout(Connection driver) {
        this(driver, event -> {});
    }

    /** A fan-out that first hands each event to {@code observer} (the daemon's metrics). */
    EventFanout(Connection driver, DomainEventListener observer) {
        this.driver = driver;
        this.observer = observer;
    }

    /** Registers with the driver unless already done; false while the driver has no events. */
    synchronized boolean ensureListening() {
        if (registration != null) {
            return true;
        }
        try {
            registration = driver.addDomainEventListener(this);
            return true;
        } catch (VirtException e) {
            if (e.code() != ErrorCode.NO_SUPPORT) {
                throw e;
            }
            LOG.log(System.Logger.Level.DEBUG, "driver has no domain events yet: {0}", e.getMessage());
            return false;
        }
    }

    void add(ClientSession client) {
        clients.add(client);
    }

    void remove(ClientSession client) {
        clients.remove(client);
    }

    @Override
    public void onEvent(DomainEvent event) {
        observer.onEvent(event);
        for (ClientSession c : clients) {
            c.deliver(event);
        }
    }

    @Override
    public synchronized void close() {
        if (registration != null) {
            try {
                registration.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "unregistering from driver events: {0}", e.toString());
            }
            registration = null;
        }
    }
}
