package io.jvirt.driver;

import io.jvirt.api.DomainState;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.domain.StatusXml;
import io.jvirt.driver.lifecycle.DomainEvents;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import io.jvirt.driver.lifecycle.DriverContext;
import io.jvirt.driver.migration.MigrationRecovery;
import io.jvirt.driver.process.ProcessInspector;
import io.jvirt.driver.process.QemuLauncher;
import io.jvirt.driver.process.QemuProcess;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorTimeoutException;
import io.jvirt.qmp.RunState;
import io.jvirt.qmp.StatusInfo;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Finds everything again when a driver opens a root: persistent definitions with their last state, and every
 * QEMU still running (status file + pid + monitor socket), reconnected and reconciled with what QEMU says.
 * A QEMU that died while no driver watched is reported shut off (crashed) and its status file removed; one that
 * was still starting when its driver went away is ended (shut off, failed), as libvirt does. A definition or
 * status file that cannot be parsed is set aside ({@code NAME.xml.corrupt}) with a warning naming the domain and
 * why, so one bad file never makes the whole root unusable; temp files of writes cut short are removed first.
 *
 * <p>Threading: runs on the thread that opens the driver, before the driver is handed out.
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
        ctx.store().removeStaleTemps();
        for (Path file : ctx.store().configFiles()) {
            DomainDef def = load(file, "config", () -> ctx.store().loadConfig(file));
            if (def == null) {
                continue;
            }
            try {
                DomainObj dom = ctx.registry().findOrAdd(def);
                dom.setPersistentDef(def);
                dom.setAutostart(ctx.store().isAutostart(def.name()));
                dom.setInactiveStatus(lastState(def.name()));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "ignoring domain definition " + file + ": " + e.getMessage());
            }
        }
        for (Path file : ctx.store().statusFiles()) {
            LoadedStatus loaded = load(file, "status", () -> {
                StatusXml status = ctx.store().loadStatus(file);
                return new LoadedStatus(status, DomainXml.parse(status.domainXml()));
            });
            if (loaded == null) {
                continue;
            }
            try {
                reconnect(loaded.status(), loaded.live());
            } catch (RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "domain '" + domainName(file) + "': cannot reconnect from " + file + ": " + e.getMessage(),
                        e);
            }
        }
        // Files given to a QEMU that never got a status file (the driver died while starting it) go back too.
        for (Path file : ctx.store().labelFiles()) {
            String fileName = file.getFileName().toString();
            String name = fileName.substring(0, fileName.length() - ".dac".length());
            DomainObj dom = ctx.registry().findByName(name);
            if (dom == null || !dom.isActive()) {
                lifecycle.restoreLabels(name);
            }
        }
    }

    /** A status file read and parsed: the file, and the live definition inside it. */
    private record LoadedStatus(StatusXml status, DomainDef live) {}

    /**
     * Reads and parses one of the root's files. One that cannot be parsed is set aside ({@code FILE.corrupt}) with a
     * warning naming the domain and the reason, as libvirt's "Failed to load config for domain": the other domains
     * are served, and the file is kept for repair. One that cannot be read (an I/O error) stays where it is.
     *
     * @return the parsed content, or null when the file was skipped
     */
    private <T> T load(Path file, String kind, Supplier<T> parse) {
        String name = domainName(file);
        try {
            return parse.get();
        } catch (VirtException e) {
            if (e.code() == ErrorCode.READ_FAILED) {
                LOG.log(Level.WARNING, "Failed to load {0} for domain ''{1}'': {2}", kind, name, e.getMessage());
                return null;
            }
            setAside(file, kind, name, e);
        } catch (RuntimeException e) {
            setAside(file, kind, name, e);
        }
        return null;
    }

    private void setAside(Path file, String kind, String name, RuntimeException why) {
        String where;
        try {
            where = "set aside as " + ctx.store().setAside(file);
        } catch (VirtException e) {
            where = "left in place: " + e.getMessage();
        }
        LOG.log(Level.WARNING, "Failed to load {0} for domain ''{1}'': {2}; {3}", kind, name, why.getMessage(), where);
    }

    /** The last state of an inactive domain; a corrupt record costs only the reason (unknown), not the domain. */
    private StateReason lastState(String name) {
        StateReason reason = load(
                ctx.store().root().lastStateFile(name),
                "state",
                () -> ctx.store().loadLastState(name).orElse(StateReason.SHUTOFF_UNKNOWN));
        return reason == null ? StateReason.SHUTOFF_UNKNOWN : reason;
    }

    private static String domainName(Path file) {
        String fileName = file.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    private void reconnect(StatusXml status, DomainDef live) {
        DomainObj dom = ctx.registry().findOrAdd(live);
        ctx.registry().reserveId(live.id());
        String uuid = live.uuid().toString();
        String pid = Long.toString(status.pid());
        if (!ProcessInspector.isQemuOf(status.pid(), uuid)) {
            LOG.log(Level.INFO, "domain {0}: QEMU {1} is gone; reporting it crashed", live.name(), pid);
            forget(dom, live.name(), StateReason.SHUTOFF_CRASHED);
            return;
        }
        if (status.reason() == StateReason.PAUSED_STARTING_UP) {
            LOG.log(Level.INFO, "domain {0}: QEMU {1} was not fully started; ending it", live.name(), pid);
            QemuLauncher.kill(status.pid(), uuid);
            forget(dom, live.name(), StateReason.SHUTOFF_FAILED);
            return;
        }
        DomainEvents events = lifecycle.listenerFor(dom);
        QemuRun run;
        try {
            Monitor monitor = QemuProcess.reconnect(status.monitorPath(), live.name(), events, ctx.settings());
            run = new QemuRun(status.pid(), monitor, status.fakeReboot());
        } catch (MonitorTimeoutException e) {
            // Alive but slow (TCG under load): keep it as recorded; the next driver to open the root tries again.
            LOG.log(
                    Level.WARNING,
                    "domain {0}: QEMU {1} did not answer in time; keeping it as recorded",
                    live.name(),
                    pid);
            run = new QemuRun(status.pid(), null, status.fakeReboot());
            dom.markActive(live.id(), run, live, status.reason());
            return;
        } catch (IOException e) {
            LOG.log(
                    Level.WARNING,
                    "domain {0}: cannot reach the monitor of QEMU {1} ({2}); ending it",
                    live.name(),
                    pid,
                    e.getMessage());
            QemuLauncher.kill(status.pid(), uuid);
            forget(dom, live.name(), StateReason.SHUTOFF_CRASHED);
            return;
        }
        events.attach(run);
        dom.markActive(live.id(), run, live, status.reason());
        reconcile(dom, run, status.reason());
        if (status.job() != null && dom.isCurrent(run)) {
            MigrationRecovery.recover(ctx, lifecycle, dom, run, status.job());
        }
    }

    /** Brings the recorded state in line with QEMU's, which may have changed while nobody watched. */
    private void reconcile(DomainObj dom, QemuRun run, StateReason recorded) {
        StatusInfo info;
        try {
            info = run.monitor().queryStatus();
        } catch (IOException e) {
            // A QEMU that died now is handled by the monitor's close notice; a slow one keeps its recorded state.
            LOG.log(Level.WARNING, "domain {0}: query-status failed: {1}", dom.name(), e.getMessage());
            return;
        }
        if (info.state() == RunState.SHUTDOWN) {
            lifecycle.guestPoweredOff(dom, run);
            return;
        }
        boolean recordedRunning = recorded.state() == DomainState.RUNNING;
        if (info.running() && !recordedRunning) {
            ctx.updateStatus(dom, run, StateReason.RUNNING_UNPAUSED);
        } else if (!info.running() && recordedRunning) {
            ctx.updateStatus(dom, run, StateReason.PAUSED_UNKNOWN);
        }
    }

    private void forget(DomainObj dom, String name, StateReason reason) {
        ctx.store().deleteStatus(name);
        lifecycle.restoreLabels(name); // the guest ended while no driver watched: its files go back now
        if (dom.isPersistent()) {
            dom.setInactiveStatus(reason);
            ctx.store().saveLastState(name, reason);
        } else {
            ctx.registry().remove(dom);
        }
    }
}
