package io.jvirt.driver;

import io.jvirt.config.DomainXml;
import io.jvirt.config.FormatFlag;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.DomainRegistry;
import io.jvirt.driver.domain.DomainStore;
import io.jvirt.driver.domain.StatusXml;
import io.jvirt.driver.root.DriverSettings;
import io.jvirt.driver.root.HostRoot;
import java.util.EnumSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the parts of one open driver share: its root, settings, host identity, domains and files, and whether
 * the driver is closing (then monitors close because we leave, not because QEMU died).
 */
record DriverContext(HostRoot root, DriverSettings settings, UUID hostUuid, DomainRegistry registry, DomainStore store,
                     AtomicBoolean closing) {

    /**
     * Writes the status file of an active domain. Runs under the domain's monitor so that the file always
     * matches memory: a domain stopping on another thread either waits for this write and then deletes the file,
     * or has already stopped and this writes nothing.
     */
    void saveStatus(DomainObj dom) {
        synchronized (dom) {
            if (!dom.isActive()) {
                return;
            }
            String xml = DomainXml.format(dom.liveDef(), EnumSet.noneOf(FormatFlag.class));
            store.saveStatus(dom.name(), new StatusXml(dom.status().reason(), dom.pid(), root.monitorSocket(dom.name()), xml));
        }
    }
}
