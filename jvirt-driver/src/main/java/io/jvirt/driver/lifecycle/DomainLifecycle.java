package io.jvirt.driver.lifecycle;

import io.jvirt.api.CreateFlags;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainState;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.config.LifecycleAction;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.job.AsyncJobKind;
import io.jvirt.driver.job.DomainJob;
import io.jvirt.driver.job.SyncJobKind;
import io.jvirt.driver.process.DiskChains;
import io.jvirt.driver.process.HostNics;
import io.jvirt.driver.process.LiveDefinition;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.driver.process.NetLinks;
import io.jvirt.driver.process.PassedFds;
import io.jvirt.driver.process.PciAddresses;
import io.jvirt.driver.process.PtyPaths;
import io.jvirt.driver.process.QemuCommandLine;
import io.jvirt.driver.process.QemuLauncher;
import io.jvirt.driver.process.QemuProcess;
import io.jvirt.driver.security.ConfinedCommand;
import io.jvirt.driver.security.DomainLabels;
import io.jvirt.qmp.Monitor;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Starts and stops QEMU for domains and moves them between states: the part of the driver that talks to
 * processes and monitors. API calls run on the caller's thread as the domain's job ({@link DomainObj#beginJob});
 * the {@code *ByQemu}, {@code guest*} and {@code monitorClosed} methods run on a monitor's event thread, each for
 * one {@link QemuRun}, and do nothing once that run is over.
 */
public final class DomainLifecycle {
    private static final Logger LOG = System.getLogger(DomainLifecycle.class.getName());
    public static final long JOB_WAIT_MILLIS = 30_000;

    private final DriverContext ctx;

    public DomainLifecycle(DriverContext ctx) {
        this.ctx = ctx;
    }

    /** Starts QEMU for {@code dom} from {@code def}; ends running/booted, or paused/user with START_PAUSED. */
    public void start(DomainObj dom, DomainDef def, int flags) {
        start(dom, def, StartOptions.boot((flags & CreateFlags.START_PAUSED) != 0));
    }

    /**
     * Starts QEMU for {@code dom} from {@code def} as {@code options} say: with an incoming migration the guest's
     * state is received first (paused/migration meanwhile); then it runs with the options' running reason, or stays
     * paused (user, or migration after an incoming migration, as libvirt leaves it).
     */
    public void start(DomainObj dom, DomainDef def, StartOptions options) {
        try (DomainObj.Job _ = dom.beginJob("start", SyncJobKind.MODIFY, options.owner(), JOB_WAIT_MILLIS)) {
            if (ctx.registry().findByUuid(dom.uuid()) != dom) {
                throw VirtException.of(
                        ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "domain '" + dom.name() + "' was undefined");
            }
            if (dom.isActive()) {
                throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is already running");
            }
            checkLifecycleActions(def);
            // First: an account that cannot be resolved fails the start before anything is allocated.
            DomainLabels labels = DomainLabels.of(ctx.root(), ctx.settings());
            int id = ctx.registry().allocateId();
            DomainDef prepared = LiveDefinition.prepare(DiskChains.detect(def, ctx.settings()), id, ctx.ports());
            String name = prepared.name();
            DomainEvents events = listenerFor(dom);
            QemuProcess qemu;
            DomainDef live;
            try {
                // jvirt's copies of the tap fds are closed once QEMU has its own (or the start failed), so a tap
                // lives exactly as long as its QEMU, whatever happens to this process.
                try (HostNics nics = HostNics.open(prepared)) {
                    live = nics.named(prepared);
                    labels.label(name, live);
                    PassedFds passed = new PassedFds();
                    List<String> argv = ConfinedCommand.wrap(
                            QemuCommandLine.build(
                                    live,
                                    ctx.settings(),
                                    ctx.root().monitorSocket(name),
                                    options.incoming() != null,
                                    nics.pass(passed)),
                            labels.account());
                    qemu = QemuProcess.start(
                            argv,
                            ctx.root().monitorSocket(name),
                            ctx.root().logFile(name),
                            name,
                            events,
                            ctx.settings(),
                            passed.fds());
                } catch (RuntimeException e) {
                    labels.restore(name);
                    recordFailedStart(dom);
                    throw e;
                }
            } catch (RuntimeException e) {
                ctx.ports().release(LiveDefinition.displayPorts(prepared));
                throw e;
            }
            QemuRun run = new QemuRun(qemu.pid(), qemu.monitor(), false);
            events.attach(run);
            dom.markActive(id, run, live, StateReason.PAUSED_STARTING_UP);
            try {
                dom.setLiveDefIf(
                        run,
                        MonitorCalls.call(
                                name, () -> PciAddresses.fill(PtyPaths.fill(live, qemu.monitor()), qemu.monitor())));
                NetLinks.setDown(name, live, qemu.monitor());
                ctx.saveStatus(dom);
                StateReason pausedReason = StateReason.PAUSED_USER;
                if (options.incoming() != null) {
                    pausedReason = StateReason.PAUSED_MIGRATION;
                    ctx.updateStatus(dom, run, pausedReason);
                    options.incoming().receive(dom, run);
                }
                if (!options.paused()) {
                    MonitorCalls.run(name, qemu.monitor()::cont);
                }
                if (qemu.monitor().isClosed()
                        || !ctx.updateStatus(dom, run, options.paused() ? pausedReason : options.runningReason())) {
                    throw VirtException.of(
                            ErrorCode.OPERATION_FAILED,
                            ErrorDomain.QEMU,
                            "QEMU of domain '" + name + "' exited while starting: "
                                    + QemuLauncher.logTail(ctx.root().logFile(name)));
                }
                if (dom.isPersistent()) {
                    ctx.store().deleteLastState(name);
                }
            } catch (RuntimeException e) {
                run.expectStop(StateReason.SHUTOFF_FAILED);
                QemuLauncher.kill(run.pid(), dom.uuid().toString());
                stopped(dom, run, StateReason.SHUTOFF_FAILED);
                throw e;
            }
            LOG.log(Level.DEBUG, "started domain {0} (id {1}, pid {2})", name, id, Long.toString(qemu.pid()));
        }
    }

    /**
     * The monitor listener for a new QEMU run of {@code dom} (started here, or reconnected by recovery): it turns
     * the run's events into this lifecycle's state changes once {@link DomainEvents#attach attached} to the run.
     */
    public DomainEvents listenerFor(DomainObj dom) {
        return new DomainEvents(dom, this, ctx.closing(), ctx.events());
    }

    /** Event thread: QEMU removed device {@code alias} with no detach waiting for it (see {@link DeviceRemoval}). */
    void deviceRemovedByQemu(DomainObj dom, QemuRun run, String alias) {
        new DeviceRemoval(ctx).finishLate(dom, run, alias);
    }

    /** A QEMU that could not be started leaves a persistent domain shut off (failed), as libvirt reports it. */
    private void recordFailedStart(DomainObj dom) {
        dom.withLock(() -> {
            if (dom.isPersistent() && !dom.isActive()) {
                dom.setInactiveStatus(StateReason.SHUTOFF_FAILED);
                ctx.store().saveLastState(dom.name(), StateReason.SHUTOFF_FAILED);
            }
        });
    }

    /**
     * The actions jvirt carries out: a powered-off guest is ended, a rebooting one restarted (or ended, with
     * {@code on_reboot=destroy}, which QEMU's -no-reboot turns into a power-off). Others are refused, not ignored.
     */
    private static void checkLifecycleActions(DomainDef def) {
        if (def.onPoweroff() != LifecycleAction.DESTROY
                || def.onCrash() != LifecycleAction.DESTROY
                || def.onReboot() != LifecycleAction.RESTART && def.onReboot() != LifecycleAction.DESTROY) {
            throw VirtException.of(
                    ErrorCode.CONFIG_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    "lifecycle actions on_poweroff='"
                            + def.onPoweroff().xml() + "' on_reboot='"
                            + def.onReboot().xml() + "' on_crash='"
                            + def.onCrash().xml()
                            + "': jvirt supports on_poweroff and on_crash 'destroy', on_reboot 'restart' or 'destroy'");
        }
    }

    /** Kills QEMU at once, before taking the job, so a stuck change cannot keep a guest from being destroyed. */
    public void destroy(DomainObj dom) {
        QemuRun run = dom.requireRun();
        run.expectStop(StateReason.SHUTOFF_DESTROYED);
        if (!QemuLauncher.kill(run.pid(), dom.uuid().toString())) {
            run.clearExpectedStop();
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR,
                    ErrorDomain.QEMU,
                    "failed to terminate process " + run.pid() + " of domain '" + dom.name() + "'");
        }
        try (DomainObj.Job _ = dom.beginJob("destroy", SyncJobKind.DESTROY, null, JOB_WAIT_MILLIS)) {
            stopped(dom, run, StateReason.SHUTOFF_DESTROYED);
        }
    }

    /** Presses the ACPI power button; a pending reboot is cancelled, as libvirt's shutdown cancels it. */
    public void shutdown(DomainObj dom) {
        powerButton(dom, "shutdown", false);
    }

    /**
     * Reboots through ACPI as libvirt's default reboot does: the guest is asked to power off, and when it has, the
     * machine is reset and continued instead of ended. The request is kept in the status file, so a guest that
     * powers off after the CLI that asked has exited is still rebooted by the next driver to open the root.
     */
    public void reboot(DomainObj dom) {
        powerButton(dom, "reboot", true);
    }

    private void powerButton(DomainObj dom, String what, boolean reboot) {
        try (DomainObj.Job _ = dom.beginJob(what, JOB_WAIT_MILLIS)) {
            QemuRun run = dom.requireRun();
            if (dom.status().state() != DomainState.RUNNING) {
                throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is not running");
            }
            run.setFakeReboot(reboot);
            ctx.saveStatus(dom);
            MonitorCalls.run(dom.name(), run.monitor()::systemPowerdown);
        }
    }

    public void reset(DomainObj dom) {
        try (DomainObj.Job _ = dom.beginJob("reset", JOB_WAIT_MILLIS)) {
            QemuRun run = dom.requireRun();
            MonitorCalls.run(dom.name(), run.monitor()::systemReset);
        }
    }

    /** Pauses the guest; during an outgoing migration it is allowed and makes the state paused/migration. */
    public void suspend(DomainObj dom) {
        try (DomainObj.Job _ = dom.beginJob("suspend", SyncJobKind.SUSPEND, null, JOB_WAIT_MILLIS)) {
            QemuRun run = dom.requireRun();
            if (dom.status().state() == DomainState.PAUSED) {
                return;
            }
            DomainJob async = dom.asyncJob();
            boolean migrating = async != null && async.kind() == AsyncJobKind.MIGRATION_OUT;
            MonitorCalls.run(dom.name(), run.monitor()::stop);
            requireUpdated(dom, run, migrating ? StateReason.PAUSED_MIGRATION : StateReason.PAUSED_USER);
        }
    }

    public void resume(DomainObj dom) {
        try (DomainObj.Job _ = dom.beginJob("resume", JOB_WAIT_MILLIS)) {
            QemuRun run = dom.requireRun();
            if (dom.status().state() == DomainState.RUNNING) {
                throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is already running");
            }
            MonitorCalls.run(dom.name(), run.monitor()::cont);
            requireUpdated(dom, run, StateReason.RUNNING_UNPAUSED);
        }
    }

    private void requireUpdated(DomainObj dom, QemuRun run, StateReason reason) {
        if (!ctx.updateStatus(dom, run, reason)) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.QEMU,
                    "domain '" + dom.name() + "' stopped before it became " + reason);
        }
    }

    /**
     * Ends run {@code run} of {@code dom}: the domain becomes shut off with {@code reason}, its status file and
     * display ports go, a persistent domain keeps the reason, a transient one disappears. Destroy, a guest
     * power-off and the monitor's EOF may all get here for one run: only the first acts.
     */
    public void stopped(DomainObj dom, QemuRun run, StateReason reason) {
        String name = dom.withLock(() -> {
            DomainDef live = dom.liveDef();
            StateReason before = dom.status().reason();
            DomainRef ref = dom.ref();
            if (!dom.markInactiveIf(run, reason)) {
                return null;
            }
            ctx.events().stateChanged(ref, before, reason);
            run.markEnded();
            DomainJob parked = dom.asyncJob();
            if (parked != null) {
                // A job parked between migration phases has nothing left to do once QEMU is gone; left there it
                // would only block the domain. A job thread still running notices the end of the run by itself.
                dom.endAsyncJob(parked);
                parked.discardedWithRun();
            }
            String stoppedName = dom.name();
            boolean persistent = dom.isPersistent();
            ctx.ports().release(LiveDefinition.displayPorts(live));
            if (!persistent) {
                // Within the domain's lock, so no caller sees the status file gone but the domain still listed.
                // Safe: the registry never waits for a domain's lock while holding its own.
                ctx.registry().remove(dom);
            }
            ctx.store().deleteStatus(stoppedName);
            // The files go back to their owners, and the private directory with the sockets a killed QEMU left
            // goes. Under the lock, so a second caller for this run (destroy racing the monitor's EOF) returns only
            // once they are back, as libvirt's destroy does.
            restoreLabels(stoppedName);
            if (persistent) {
                ctx.store().saveLastState(stoppedName, reason);
            }
            return stoppedName;
        });
        if (name == null) {
            return; // another caller ended this run first and cleans up
        }
        run.closeMonitor();
        LOG.log(Level.DEBUG, "domain {0} stopped: {1}", name, reason);
    }

    /** Gives back what the last run of domain {@code name} took (see {@link DomainLabels}); never fails. */
    public void restoreLabels(String name) {
        try {
            DomainLabels.of(ctx.root(), ctx.settings()).restore(name);
        } catch (VirtException e) {
            LOG.log(Level.WARNING, "domain {0}: cannot give back its files: {1}", name, e.getMessage());
        }
    }

    /** Event thread: QEMU of {@code run} closed its monitor (it exited or crashed). */
    void monitorClosed(DomainObj dom, QemuRun run) {
        if (!dom.isCurrent(run)) {
            return;
        }
        StateReason reason = run.exitReason();
        // EOF can come a moment before the process has exited; make sure it is gone before reporting it so.
        QemuLauncher.kill(run.pid(), dom.uuid().toString());
        stopped(dom, run, reason);
    }

    /**
     * Event thread (or recovery): the guest of {@code run} powered off and QEMU, started with -no-shutdown, waits
     * for us. A pending reboot resets and continues it; otherwise QEMU is ended and the domain becomes
     * shutoff/shutdown. Runs as a job, so a closing driver either waits for it or it sees the driver closing and
     * leaves QEMU waiting (with the reboot request still in the status file) for the next driver.
     */
    public void guestPoweredOff(DomainObj dom, QemuRun run) {
        try (DomainObj.Job _ = dom.beginJob("power-off", JOB_WAIT_MILLIS)) {
            if (!dom.isCurrent(run) || ctx.closing().get()) {
                return;
            }
            if (run.fakeReboot()) {
                fakeReboot(dom, run);
                return;
            }
            run.markShutdownSeen();
            run.expectStopUnlessExpected(StateReason.SHUTOFF_SHUTDOWN);
            ctx.updateStatus(dom, run, StateReason.SHUTDOWN_UNKNOWN);
            QemuLauncher.kill(run.pid(), dom.uuid().toString());
            stopped(dom, run, run.exitReason());
        }
    }

    /** Resets and continues a guest that powered off for a reboot; if QEMU refuses, it is ended, as libvirt does. */
    private void fakeReboot(DomainObj dom, QemuRun run) {
        try {
            Monitor monitor = run.monitor();
            MonitorCalls.run(dom.name(), monitor::systemReset);
            MonitorCalls.run(dom.name(), monitor::cont);
            run.setFakeReboot(false);
            ctx.updateStatus(dom, run, StateReason.RUNNING_BOOTED);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reboot of domain " + dom.name() + " failed; ending it: " + e.getMessage());
            run.expectStopUnlessExpected(StateReason.SHUTOFF_SHUTDOWN);
            QemuLauncher.kill(run.pid(), dom.uuid().toString());
            stopped(dom, run, run.exitReason());
        }
    }

    /** Event thread: a guest that reset itself has rebooted, so a reboot still waiting for its power-off is moot. */
    void guestReset(DomainObj dom, QemuRun run) {
        dom.withLock(() -> {
            if (dom.isCurrent(run) && run.fakeReboot()) {
                run.setFakeReboot(false);
                ctx.saveStatus(dom);
            }
        });
    }

    /** Event thread: a STOP that no job of ours caused (guest I/O error, watchdog…): follow QEMU. */
    void pausedByQemu(DomainObj dom, QemuRun run, long eventMicros) {
        follow(dom, run, eventMicros, DomainState.RUNNING, StateReason.PAUSED_UNKNOWN);
    }

    /** Event thread: a RESUME that no job of ours caused. */
    void resumedByQemu(DomainObj dom, QemuRun run, long eventMicros) {
        follow(dom, run, eventMicros, DomainState.PAUSED, StateReason.RUNNING_UNPAUSED);
    }

    /**
     * Follows a pause or resume of QEMU's own making. One that a job of ours caused is left to the job, which sets
     * the state it means: either the job still runs, or the event predates the state the job recorded.
     */
    private void follow(DomainObj dom, QemuRun run, long eventMicros, DomainState from, StateReason to) {
        if (dom.jobActive()) {
            return;
        }
        dom.withLock(() -> {
            StateReason before = dom.status().reason();
            if (dom.isNewerThanState(eventMicros) && dom.transitionIf(run, from, to)) {
                ctx.saveStatus(dom);
                ctx.events().stateChanged(dom.ref(), before, to);
            }
        });
    }
}
