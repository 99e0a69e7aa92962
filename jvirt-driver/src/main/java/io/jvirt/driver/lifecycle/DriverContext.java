package io.jvirt.driver.lifecycle;

import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainEventDetail;
import io.jvirt.api.DomainEventType;
import io.jvirt.api.StateReason;
import io.jvirt.config.DomainXml;
import io.jvirt.config.FormatFlag;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.DomainRegistry;
import io.jvirt.driver.domain.DomainStore;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.domain.StatusXml;
import io.jvirt.driver.job.DomainJob;
import io.jvirt.driver.process.DisplayPorts;
import io.jvirt.driver.root.DriverSettings;
import io.jvirt.driver.root.HostRoot;
import java.util.EnumSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the parts of one open driver share: its root, settings, host identity, domains, files and display ports,
 * and whether the driver is closing (then monitors close because we leave, not because QEMU died).
 */
public record DriverContext(
        HostRoot root,
        DriverSettings settings,
        UUID hostUuid,
        DomainRegistry registry,
        DomainStore store,
        DisplayPorts ports,
        AtomicBoolean closing,
        DomainEventHub events) {

    /**
     * Writes the status file of an active domain. Runs under the domain's lock so that the file always
     * matches memory: a domain stopping on another thread either waits for this write and then deletes the file,
     * or has already stopped and this writes nothing.
     */
    public void saveStatus(DomainObj dom) {
        dom.withLock(() -> {
            QemuRun run = dom.run();
            if (run == null) {
                return;
            }
            String xml = DomainXml.format(dom.liveDef(), EnumSet.noneOf(FormatFlag.class));
            DomainJob async = dom.asyncJob();
            StatusXml.Job job = async != null && async.phaseName() != null
                    ? new StatusXml.Job(async.kind().xmlName(), async.phaseName(), async.apiFlags())
                    : null;
            store.saveStatus(
                    dom.name(),
                    new StatusXml(
                            dom.status().reason(),
                            run.pid(),
                            root.monitorSocket(dom.name()),
                            run.fakeReboot(),
                            job,
                            xml));
        });
    }

    /** Sets the state of run {@code run} and writes it down, in one step; nothing happens once the run is over. */
    public boolean updateStatus(DomainObj dom, QemuRun run, StateReason reason) {
        return dom.withLock(() -> {
            StateReason before = dom.status().reason();
            if (!dom.setStatusIf(run, reason)) {
                return false;
            }
            saveStatus(dom);
            events.stateChanged(dom.ref(), before, reason);
            return true;
        });
    }

    /**
     * Removes {@code dom}'s persistent definition (config, last state, autostart); an inactive domain is then
     * forgotten, an active one lives on as transient. Call under the domain's job.
     */
    public void forgetDefinition(DomainObj dom) {
        boolean gone = dom.withLock(() -> {
            store.deleteConfig(dom.name());
            store.deleteLastState(dom.name());
            dom.setPersistentDef(null);
            dom.setAutostart(false);
            events.emit(new DomainEvent.Lifecycle(
                    dom.ref(), DomainEventType.UNDEFINED, DomainEventDetail.UNDEFINED_REMOVED));
            return !dom.isActive();
        });
        // After the domain's lock, to keep that section short; taking the registry inside it would be allowed too,
        // since the registry never waits for a domain. The caller's job keeps the domain from starting meanwhile.
        if (gone) {
            registry.remove(dom);
        }
    }
}
