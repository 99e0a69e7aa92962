package io.jvirt.driver.domain;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import io.jvirt.qmp.MigrationStatus;
import io.jvirt.qmp.Monitor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One run of a domain's QEMU: its pid, its monitor and what the driver knows about how it should end. Every
 * event handler and every stop names the run it is about, and acts only while that run is still the domain's
 * ({@link DomainObj#isCurrent}), so a late event from a QEMU that has gone never touches the next one.
 *
 * <p>Threading: the flags are read and written from API threads and the monitor's event thread; all accessors
 * are synchronized and short.
 */
public final class QemuRun {
    private final long pid;
    private final Monitor monitor;
    private StateReason expectedStop;
    private boolean shutdownSeen;
    private boolean fakeReboot;
    private MigrationStatus migrationStatus = MigrationStatus.NONE;
    private boolean ended;
    /** Aliases of devices a detach waits for, with whether QEMU said they are gone (see {@link #awaitUnplug}). */
    private final Map<String, Boolean> unplugWaiters = new HashMap<>();
    /** Block node names to delete once a device QEMU was asked to remove is gone, by alias. */
    private final Map<String, List<String>> unplugNodes = new HashMap<>();

    private final Map<String, BlockJobState> blockJobs = new HashMap<>();

    /**
     * @param monitor the connected monitor, or null when a restarted driver found QEMU alive but could not reach
     *                its monitor in time (the next driver tries again)
     */
    public QemuRun(long pid, Monitor monitor, boolean fakeReboot) {
        this.pid = pid;
        this.monitor = monitor;
        this.fakeReboot = fakeReboot;
    }

    public long pid() {
        return pid;
    }

    /** The monitor, or OPERATION_FAILED when this run has none reachable. */
    public Monitor monitor() {
        if (monitor == null) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.QEMU,
                    "the monitor of QEMU " + pid + " did not answer when this driver opened; try again");
        }
        return monitor;
    }

    /** Closes the monitor if there is one; QEMU itself is not touched. */
    public void closeMonitor() {
        if (monitor != null) {
            monitor.close();
        }
    }

    /** Marks that the driver itself is ending this QEMU, so its exit is reported with {@code reason}, not as a crash. */
    public synchronized void expectStop(StateReason reason) {
        this.expectedStop = reason;
    }

    /** As {@link #expectStop}, unless an end is already expected (a destroy racing a power-off stays a destroy). */
    public synchronized void expectStopUnlessExpected(StateReason reason) {
        if (expectedStop == null) {
            this.expectedStop = reason;
        }
    }

    public synchronized void clearExpectedStop() {
        this.expectedStop = null;
    }

    /** How this run's exit is to be reported: the expected reason, else shutdown if QEMU said so, else crashed. */
    public synchronized StateReason exitReason() {
        if (expectedStop != null) {
            return expectedStop;
        }
        return shutdownSeen ? StateReason.SHUTOFF_SHUTDOWN : StateReason.SHUTOFF_CRASHED;
    }

    public synchronized void markShutdownSeen() {
        this.shutdownSeen = true;
    }

    /** Set by reboot: the guest's next power-off resets the machine instead of ending it. Kept in the status file. */
    public synchronized void setFakeReboot(boolean fakeReboot) {
        this.fakeReboot = fakeReboot;
    }

    public synchronized boolean fakeReboot() {
        return fakeReboot;
    }

    /** Event thread: QEMU reported a migration status (MIGRATION event); wakes a job waiting for it. */
    public synchronized void migrationStatus(MigrationStatus status) {
        this.migrationStatus = status;
        notifyAll();
    }

    /** Marks this run over (its QEMU is gone); wakes a job waiting on it. */
    public synchronized void markEnded() {
        this.ended = true;
        notifyAll();
    }

    public synchronized boolean ended() {
        return ended;
    }

    /**
     * Waits for QEMU's migration (outgoing, incoming, or to a file) to end: completed, failed or cancelled, as the
     * MIGRATION events tell; woken also when the run ends or {@code abandon} becomes true (checked each time the
     * waiter wakes, and at least every {@code recheckMillis}).
     *
     * @return the final status, or that QEMU went away, or that the waiter abandoned
     */
    public MigrationWaitEnd awaitMigrationEnd(BooleanSupplier abandon, long recheckMillis) throws InterruptedException {
        return awaitMigrationStatus(java.util.Set.of(), abandon, recheckMillis);
    }

    /**
     * As {@link #awaitMigrationEnd}, returning also when QEMU reports one of {@code alsoStopAt} (e.g.
     * postcopy-active, where a post-copy migration's source hands over).
     */
    public synchronized MigrationWaitEnd awaitMigrationStatus(
            java.util.Set<MigrationStatus> alsoStopAt, BooleanSupplier abandon, long recheckMillis)
            throws InterruptedException {
        while (true) {
            if (migrationStatus.isFinished() || alsoStopAt.contains(migrationStatus)) {
                return new MigrationWaitEnd.Reported(migrationStatus);
            }
            if (ended) {
                return new MigrationWaitEnd.RunEnded();
            }
            if (abandon.getAsBoolean()) {
                return new MigrationWaitEnd.Abandoned();
            }
            wait(recheckMillis);
        }
    }

    /** The last migration status QEMU reported (NONE before any). */
    public synchronized MigrationStatus migrationStatus() {
        return migrationStatus;
    }

    /** Wakes threads waiting on this run's migration (an abort, a lost peer) so they look again. */
    public synchronized void wakeWaiters() {
        notifyAll();
    }

    /**
     * A detach is about to ask QEMU to remove device {@code alias}: registers the caller as its waiter and
     * remembers the block nodes to delete after it (empty for none).
     */
    public synchronized void expectUnplug(String alias, List<String> blockNodes) {
        unplugWaiters.put(alias, false);
        unplugNodes.put(alias, List.copyOf(blockNodes));
    }

    /**
     * Waits up to {@code timeoutMillis} for QEMU's DEVICE_DELETED of {@code alias}. True: the caller finishes the
     * removal; false: it gave up, and whoever sees the event later finishes it (the decision is made under this
     * run's lock, so exactly one side does).
     */
    public synchronized boolean awaitUnplug(String alias, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        try {
            while (!Boolean.TRUE.equals(unplugWaiters.get(alias)) && !ended) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                wait(left);
            }
            return Boolean.TRUE.equals(unplugWaiters.get(alias));
        } finally {
            unplugWaiters.remove(alias);
        }
    }

    /**
     * Event thread: QEMU removed device {@code alias}. Returns true when a detach waits for it (and now finishes
     * it), false when nobody does and the caller must finish the removal itself.
     */
    public synchronized boolean deviceDeleted(String alias) {
        if (unplugWaiters.containsKey(alias)) {
            unplugWaiters.put(alias, true);
            notifyAll();
            return true;
        }
        return false;
    }

    /** The block nodes to delete for removed device {@code alias} (empty when none were noted), forgetting them. */
    public synchronized List<String> takeUnplugNodes(String alias) {
        List<String> nodes = unplugNodes.remove(alias);
        return nodes != null ? nodes : List.of();
    }

    /** Starts following block job {@code id} (before QEMU is asked to start it, so no event is missed). */
    public synchronized void trackBlockJob(String id) {
        blockJobs.put(id, BlockJobState.started(id));
    }

    /** Stops following block job {@code id}. */
    public synchronized void forgetBlockJob(String id) {
        blockJobs.remove(id);
    }

    /** Event thread: a {@code BLOCK_JOB_*} event; a job nobody follows is ignored. Wakes waiters on this run. */
    public synchronized void blockJobEvent(String name, Map<String, Object> data) {
        Object id = data.get("device");
        BlockJobState previous = id instanceof String s ? blockJobs.get(s) : null;
        if (previous != null) {
            blockJobs.put(previous.id(), BlockJobState.next(previous, name, data));
            notifyAll();
        }
    }

    /** What the events said about block job {@code id} so far, or null when it is not followed. */
    public synchronized BlockJobState blockJob(String id) {
        return blockJobs.get(id);
    }

    /**
     * Waits until {@code done} holds (checked whenever an event or {@link #wakeWaiters} wakes this run, and at least
     * every {@code recheckMillis}), the run ends, or {@code abandon} holds; returns whether {@code done} held.
     */
    public synchronized boolean awaitCondition(BooleanSupplier done, BooleanSupplier abandon, long recheckMillis)
            throws InterruptedException {
        while (true) {
            if (done.getAsBoolean()) {
                return true;
            }
            if (ended || abandon.getAsBoolean()) {
                return false;
            }
            wait(recheckMillis);
        }
    }

    /** Forgets a finished migration's status before the next one starts. */
    public synchronized void resetMigrationStatus() {
        this.migrationStatus = MigrationStatus.NONE;
    }
}
