package io.jvirt.daemon;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The incoming migrations one client prepared: if the client goes away while such a domain still waits for its
 * Finish (paused, migration), the domain is destroyed, as libvirt's autodestroy does, so a source that vanished
 * leaves no half-arrived guest behind.
 *
 * <p>Threading: {@link #add} on call threads (the Prepare handlers); {@link #destroyStillIncoming} on the session's
 * closing thread.
 */
final class IncomingMigrations {
    private static final System.Logger LOG = System.getLogger(IncomingMigrations.class.getName());

    private final long clientId;
    private final Connection driver;
    private final Set<String> names = ConcurrentHashMap.newKeySet();

    IncomingMigrations(long clientId, Connection driver) {
        this.clientId = clientId;
        this.driver = driver;
    }

    void add(String domainName) {
        names.add(domainName);
    }

    /** The client is gone: destroys each domain it was migrating in that has not been finished. */
    void destroyStillIncoming() {
        names.forEach(this::destroyIfStillIncoming);
    }

    private void destroyIfStillIncoming(String name) {
        try {
            DomainRef dom = driver.lookupByName(name);
            if (driver.state(dom).reason() == StateReason.PAUSED_MIGRATION) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "client {0} went away during the incoming migration of {1}; " + "destroying it",
                        clientId,
                        name);
                driver.destroy(dom, 0);
            }
        } catch (VirtException e) {
            // already gone, finished, or torn down by Finish: nothing to clean up
        }
    }
}
