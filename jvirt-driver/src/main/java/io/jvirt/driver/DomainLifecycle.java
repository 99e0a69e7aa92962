package io.jvirt.driver;

import io.jvirt.api.CreateFlags;
import io.jvirt.api.DomainState;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.DomainRegistry;
import io.jvirt.driver.process.LiveDefinition;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.driver.process.QemuCommandLine;
import io.jvirt.driver.process.QemuLauncher;
import io.jvirt.driver.process.QemuProcess;
import io.jvirt.qmp.Monitor;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts and stops QEMU for domains and moves them between states: the part of the driver that talks to
 * processes and monitors. Every change runs as the domain's job ({@link DomainObj#beginJob}); monitor events
 * arrive through {@link DomainEvents} on the monitor's event thread.
 */
final class DomainLifecycle {
    private static final Logger LOG = System.getLogger(DomainLifecycle.class.getName());
    static final long JOB_WAIT_MILLIS = 30_000;

    private final DriverContext ctx;

    DomainLifecycle(DriverContext ctx) {
        this.ctx = ctx;
    }

    /** Starts QEMU for {@code dom} from {@code def}; ends running/booted, or paused/user with START_PAUSED. */
    void start(DomainObj dom, DomainDef def, int flags) {
        try (DomainObj.Job job = dom.beginJob("start", JOB_WAIT_MILLIS)) {
            if (dom.isActive()) {
                throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is already running");
            }
            DomainRegistry registry = ctx.registry();
            int id = registry.allocateId();
            DomainDef live = LiveDefinition.prepare(def, id);
            String name = live.name();
            Path socket = ctx.root().monitorSocket(name);
            Path log = ctx.root().logFile(name);
            List<String> argv = QemuCommandLine.build(live, ctx.settings(), socket);
            DomainEvents events = new DomainEvents(dom, this);
            QemuProcess qemu = QemuProcess.start(argv, socket, log, name, events, ctx.settings());
            Monitor monitor = qemu.monitor();
            events.attach(monitor);
            dom.markActive(id, qemu.pid(), live, monitor, StateReason.PAUSED_STARTING_UP);
            try {
                ctx.saveStatus(dom);
                if ((flags & CreateFlags.START_PAUSED) != 0) {
                    dom.setStatus(StateReason.PAUSED_USER);
                } else {
                    MonitorCalls.run(name, monitor::cont);
                    dom.setStatus(StateReason.RUNNING_BOOTED);
                }
                ctx.saveStatus(dom);
                ctx.store().deleteLastState(name);
            } catch (RuntimeException e) {
                dom.expectStop(StateReason.SHUTOFF_FAILED);
                QemuLauncher.kill(qemu.pid(), dom.uuid().toString());
                stopped(dom, monitor, StateReason.SHUTOFF_FAILED);
                throw e;
            }
            LOG.log(Level.DEBUG, "started domain {0} (id {1}, pid {2})", name, id, qemu.pid());
        }
    }

    /** Kills QEMU at once, before taking the job, so a stuck change cannot keep a guest from being destroyed. */
    void destroy(DomainObj dom) {
        Monitor monitor = dom.requireMonitor();
        dom.expectStop(StateReason.SHUTOFF_DESTROYED);
        if (!QemuLauncher.kill(dom.pid(), dom.uuid().toString())) {
            throw VirtException.of(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU,
                    "failed to terminate process " + dom.pid() + " of domain '" + dom.name() + "'");
        }
        try (DomainObj.Job job = dom.beginJob("destroy", JOB_WAIT_MILLIS)) {
            stopped(dom, monitor, StateReason.SHUTOFF_DESTROYED);
        }
    }

    void shutdown(DomainObj dom) {
        try (DomainObj.Job job = dom.beginJob("shutdown", JOB_WAIT_MILLIS)) {
            Monitor monitor = dom.requireMonitor();
            MonitorCalls.run(dom.name(), monitor::systemPowerdown);
        }
    }

    /**
     * Reboots through ACPI as libvirt's default reboot does: the guest is asked to power off, and when it has,
     * the machine is reset and continued instead of ended ({@link DomainEvents}).
     */
    void reboot(DomainObj dom) {
        try (DomainObj.Job job = dom.beginJob("reboot", JOB_WAIT_MILLIS)) {
            Monitor monitor = dom.requireMonitor();
            dom.setFakeReboot(true);
            MonitorCalls.run(dom.name(), monitor::systemPowerdown);
        }
    }

    void reset(DomainObj dom) {
        try (DomainObj.Job job = dom.beginJob("reset", JOB_WAIT_MILLIS)) {
            Monitor monitor = dom.requireMonitor();
            MonitorCalls.run(dom.name(), monitor::systemReset);
        }
    }

    void suspend(DomainObj dom) {
        try (DomainObj.Job job = dom.beginJob("suspend", JOB_WAIT_MILLIS)) {
            Monitor monitor = dom.requireMonitor();
            if (dom.status().state() == DomainState.PAUSED) {
                return;
            }
            MonitorCalls.run(dom.name(), monitor::stop);
            dom.setStatus(StateReason.PAUSED_USER);
            ctx.saveStatus(dom);
        }
    }

    void resume(DomainObj dom) {
        try (DomainObj.Job job = dom.beginJob("resume", JOB_WAIT_MILLIS)) {
            Monitor monitor = dom.requireMonitor();
            DomainState state = dom.status().state();
            if (state == DomainState.RUNNING) {
                throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is already running");
            }
            MonitorCalls.run(dom.name(), monitor::cont);
            dom.setStatus(StateReason.RUNNING_UNPAUSED);
            ctx.saveStatus(dom);
        }
    }

    /**
     * Records that {@code monitor}'s QEMU is gone: the domain becomes shut off with {@code reason}, its status file
     * goes, a persistent domain keeps the reason, a transient one disappears. Safe to call twice (destroy and the
     * monitor's EOF both get here): only the call that still finds {@code monitor} attached acts.
     */
    void stopped(DomainObj dom, Monitor monitor, StateReason reason) {
        String name;
        synchronized (dom) {
            if (monitor == null || dom.monitor() != monitor) {
                return;
            }
            dom.markInactive(reason);
            name = dom.name();
            ctx.store().deleteStatus(name);
            if (dom.isPersistent()) {
                ctx.store().saveLastState(name, reason);
            }
        }
        if (!dom.isPersistent()) {
            ctx.registry().remove(dom);
        }
        monitor.close();
        LOG.log(Level.DEBUG, "domain {0} stopped: {1}", name, reason);
    }

    /** Called on the monitor's event thread when QEMU closed the monitor (it exited or crashed). */
    void monitorClosed(DomainObj dom, Monitor monitor) {
        StateReason expected = dom.expectedStopReason();
        StateReason reason = expected != null ? expected
                : dom.shutdownSeen() ? StateReason.SHUTOFF_SHUTDOWN : StateReason.SHUTOFF_CRASHED;
        // EOF can come a moment before the process has exited; make sure it is gone before reporting it so.
        QemuLauncher.kill(dom.pid(), dom.uuid().toString());
        stopped(dom, monitor, reason);
    }

    /**
     * The guest powered off (QEMU, started with -no-shutdown, waits for us): reset it if a reboot asked for this,
     * else end QEMU so the domain becomes shutoff/shutdown.
     */
    void guestShutdown(DomainObj dom, Monitor monitor) {
        if (dom.takeFakeReboot()) {
            MonitorCalls.run(dom.name(), monitor::systemReset);
            MonitorCalls.run(dom.name(), monitor::cont);
            dom.setStatus(StateReason.RUNNING_BOOTED);
            ctx.saveStatus(dom);
            return;
        }
        dom.markShutdownSeen();
        dom.expectStop(StateReason.SHUTOFF_SHUTDOWN);
        dom.setStatus(StateReason.SHUTDOWN_USER);
        ctx.saveStatus(dom);
        QemuLauncher.kill(dom.pid(), dom.uuid().toString());
        stopped(dom, monitor, StateReason.SHUTOFF_SHUTDOWN);
    }

    /** A STOP or RESUME that no job of ours caused (guest I/O error, watchdog…): follow QEMU. */
    void pausedByQemu(DomainObj dom) {
        if (!dom.jobActive() && dom.status().state() == DomainState.RUNNING) {
            dom.setStatus(StateReason.PAUSED_UNKNOWN);
            ctx.saveStatus(dom);
        }
    }

    void resumedByQemu(DomainObj dom) {
        if (!dom.jobActive() && dom.status().state() == DomainState.PAUSED) {
            dom.setStatus(StateReason.RUNNING_UNPAUSED);
            ctx.saveStatus(dom);
        }
    }

    DriverContext context() {
        return ctx;
    }
}
