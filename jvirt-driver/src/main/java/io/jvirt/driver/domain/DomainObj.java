package io.jvirt.driver.domain;

import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainState;
import io.jvirt.api.DomainStatus;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.qmp.Monitor;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One domain known to the driver: its persistent definition (if any), its live definition and QEMU while it
 * runs, and its state with reason.
 *
 * <p>Threading: fields are read and written under this object's monitor, in short sections that never do I/O.
 * State changes that talk to QEMU (start, destroy, suspend…) run as a job: the caller holds {@link #beginJob}'s
 * lock for the whole change, so two changes never interleave, while queries and monitor events (delivered on the
 * monitor's event thread) only take the short object monitor.
 */
public final class DomainObj {
    private final UUID uuid;
    private final ReentrantLock job = new ReentrantLock();

    private String name;
    private DomainDef persistentDef;
    private DomainDef liveDef;
    private boolean autostart;
    private DomainStatus status = DomainStatus.of(StateReason.SHUTOFF_UNKNOWN);
    private int id = -1;
    private long pid;
    private Monitor monitor;
    /** Set when the driver itself ends QEMU (destroy, shutdown), so monitor EOF is not taken for a crash. */
    private StateReason expectedStopReason;
    private boolean shutdownSeen;
    private boolean fakeReboot;

    public DomainObj(UUID uuid, String name) {
        this.uuid = uuid;
        this.name = name;
    }

    public UUID uuid() {
        return uuid;
    }

    /** The definition that describes the domain now: the live one while active, else the persistent one. */
    public synchronized DomainDef def() {
        return liveDef != null ? liveDef : persistentDef;
    }

    public synchronized String name() {
        return name;
    }

    public synchronized DomainRef ref() {
        return new DomainRef(name, uuid, id);
    }

    public synchronized DomainDef persistentDef() {
        return persistentDef;
    }

    /** Sets (or, with null, drops) the persistent definition. */
    public synchronized void setPersistentDef(DomainDef def) {
        this.persistentDef = def;
        if (def != null && liveDef == null) {
            this.name = def.name();
        }
    }

    public synchronized DomainDef liveDef() {
        return liveDef;
    }

    public synchronized boolean isPersistent() {
        return persistentDef != null;
    }

    public synchronized boolean isActive() {
        return id >= 0;
    }

    public synchronized boolean autostart() {
        return autostart;
    }

    public synchronized void setAutostart(boolean autostart) {
        this.autostart = autostart;
    }

    public synchronized DomainStatus status() {
        return status;
    }

    public synchronized void setStatus(StateReason reason) {
        this.status = DomainStatus.of(reason);
    }

    public synchronized int id() {
        return id;
    }

    public synchronized long pid() {
        return pid;
    }

    public synchronized Monitor monitor() {
        return monitor;
    }

    /** Records a started (or reconnected) QEMU. */
    public synchronized void markActive(int id, long pid, DomainDef liveDef, Monitor monitor, StateReason reason) {
        this.id = id;
        this.pid = pid;
        this.liveDef = liveDef;
        this.name = liveDef.name();
        this.monitor = monitor;
        this.expectedStopReason = null;
        this.shutdownSeen = false;
        this.status = DomainStatus.of(reason);
    }

    /** Forgets the QEMU: the domain is shut off with {@code reason}. Returns the monitor to close, if any. */
    public synchronized Monitor markInactive(StateReason reason) {
        if (reason.state() != DomainState.SHUTOFF) {
            throw new IllegalArgumentException("an inactive domain is shut off, not " + reason);
        }
        Monitor m = monitor;
        this.id = -1;
        this.pid = 0;
        this.liveDef = null;
        this.monitor = null;
        this.expectedStopReason = null;
        this.shutdownSeen = false;
        this.fakeReboot = false;
        this.status = DomainStatus.of(reason);
        notifyAll();
        return m;
    }

    /**
     * Waits until the domain is inactive or {@code timeoutMillis} passes; woken by {@link #markInactive}.
     *
     * @return true when it is inactive
     */
    public synchronized boolean awaitInactive(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (id >= 0) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** Records that QEMU reported the guest (or a signal) shut it down, so its exit is a shutdown, not a crash. */
    public synchronized void markShutdownSeen() {
        this.shutdownSeen = true;
    }

    public synchronized boolean shutdownSeen() {
        return shutdownSeen;
    }

    /** Set by reboot: the next guest power-off resets the machine instead of ending it. */
    public synchronized void setFakeReboot(boolean fakeReboot) {
        this.fakeReboot = fakeReboot;
    }

    /** Returns and clears the fake-reboot request. */
    public synchronized boolean takeFakeReboot() {
        boolean was = fakeReboot;
        fakeReboot = false;
        return was;
    }

    /** True while a state change holds the job, so monitor events leave the state to it. */
    public boolean jobActive() {
        return job.isLocked();
    }

    public synchronized void expectStop(StateReason reason) {
        this.expectedStopReason = reason;
    }

    public synchronized StateReason expectedStopReason() {
        return expectedStopReason;
    }

    /** The running monitor, or OPERATION_INVALID "domain is not running". */
    public synchronized Monitor requireMonitor() {
        if (id < 0 || monitor == null) {
            throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, "domain is not running");
        }
        return monitor;
    }

    /**
     * Starts a state change: waits up to {@code timeoutMillis} for the change already running to finish, as
     * libvirt waits for its job condition, then fails with libvirt's "cannot acquire state change lock".
     */
    public Job beginJob(String what, long timeoutMillis) {
        try {
            if (!job.tryLock(timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw VirtException.of(ErrorCode.OPERATION_TIMEOUT, ErrorDomain.QEMU,
                        "cannot acquire state change lock (held by another " + what + " call)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted waiting for " + what);
        }
        return job::unlock;
    }

    /** A held state-change lock; close to release. */
    @FunctionalInterface
    public interface Job extends AutoCloseable {
        @Override
        void close();
    }
}
