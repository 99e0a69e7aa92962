package io.jvirt.driver;

import io.jvirt.api.DomainState;
import io.jvirt.api.StateReason;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.StatusXml;
import io.jvirt.driver.process.ProcessInspector;
import io.jvirt.driver.process.QemuLauncher;
import io.jvirt.driver.process.QemuProcess;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.RunState;
import io.jvirt.qmp.StatusInfo;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * Finds everything again when a driver opens a root: persistent definitions with their last state, and every
 * QEMU still running (status file + pid + monitor socket), reconnected and reconciled with what QEMU says.
 * A QEMU that died while no driver watched is reported shut off (crashed) and its status file removed.
 */
final class DriverRecovery {
    private static final Logger LOG = System.getLogger(DriverRecovery.class.getName());

    private final DriverContext ctx;
    private final DomainLifecycle lifecycle;

    DriverRecovery(DriverContext ctx, DomainLifecycle lifecycle) {
        this.ctx = ctx;
        this.lifecycle = lifecycle;
    }

    void recover() {
        for (DomainDef def : ctx.store().loadConfigs()) {
            DomainObj dom = ctx.registry().findOrAdd(def.name(), def.uuid());
            dom.setPersistentDef(def);
            dom.setAutostart(ctx.store().isAutostart(def.name()));
            dom.setStatus(ctx.store().loadLastState(def.name()).orElse(StateReason.SHUTOFF_UNKNOWN));
        }
        for (Path file : ctx.store().statusFiles()) {
            try {
                reconnect(ctx.store().loadStatus(file));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "ignoring status file " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private void reconnect(StatusXml status) {
        DomainDef live = DomainXml.parse(status.domainXml());
        DomainObj dom = ctx.registry().findOrAdd(live.name(), live.uuid());
        ctx.registry().reserveId(live.id());
        String uuid = live.uuid().toString();
        if (!ProcessInspector.isQemuOf(status.pid(), uuid)) {
            LOG.log(Level.INFO, "domain {0}: QEMU {1} is gone; reporting it crashed", live.name(), status.pid());
            forget(dom, live.name(), StateReason.SHUTOFF_CRASHED);
            return;
        }
        DomainEvents events = new DomainEvents(dom, lifecycle);
        QemuProcess qemu;
        try {
            qemu = QemuProcess.reconnect(status.pid(), status.monitorPath(), live.name(), events, ctx.settings());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "domain {0}: cannot reconnect to QEMU {1}: {2}; ending it",
                    live.name(), status.pid(), e.getMessage());
            QemuLauncher.kill(status.pid(), uuid);
            forget(dom, live.name(), StateReason.SHUTOFF_FAILED);
            return;
        }
        Monitor monitor = qemu.monitor();
        events.attach(monitor);
        dom.markActive(live.id(), status.pid(), live, monitor, status.reason());
        if (monitor.isClosed()) {
            lifecycle.monitorClosed(dom, monitor);
            return;
        }
        reconcile(dom, monitor, status.reason());
    }

    /** Brings the recorded state in line with QEMU's, which may have changed while nobody watched. */
    private void reconcile(DomainObj dom, Monitor monitor, StateReason recorded) {
        StatusInfo info;
        try {
            info = monitor.queryStatus();
        } catch (IOException e) {
            lifecycle.monitorClosed(dom, monitor);
            return;
        }
        if (info.state() == RunState.SHUTDOWN) {
            lifecycle.guestShutdown(dom, monitor);
            return;
        }
        boolean recordedRunning = recorded.state() == DomainState.RUNNING;
        if (info.running() && !recordedRunning) {
            dom.setStatus(StateReason.RUNNING_UNPAUSED);
        } else if (!info.running() && recordedRunning) {
            dom.setStatus(StateReason.PAUSED_UNKNOWN);
        }
        ctx.saveStatus(dom);
    }

    private void forget(DomainObj dom, String name, StateReason reason) {
        ctx.store().deleteStatus(name);
        if (dom.isPersistent()) {
            dom.setStatus(reason);
            ctx.store().saveLastState(name, reason);
        } else {
            ctx.registry().remove(dom);
        }
    }
}
