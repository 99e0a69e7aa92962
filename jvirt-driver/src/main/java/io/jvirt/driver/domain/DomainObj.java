package io.jvirt.driver.domain;

import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainState;
import io.jvirt.api.DomainStatus;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.driver.job.DomainJob;
import io.jvirt.driver.job.SyncJobKind;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One domain known to the driver: its persistent definition (if any), its live definition and QEMU run while it
 * is active, and its state with reason.
 *
 * <p>Threading: fields are read and written under the domain lock, a lock private to this object, in short
 * sections: each accessor takes it, and a caller that needs several reads and writes to form one step passes them to
 * {@link #withLock}. No QMP call is ever made under it; status-file writes are (see DriverContext#updateStatus), so
 * that the file always matches memory. The name and id are also readable without it, so the registry never waits
 * for a domain. State changes that talk to QEMU (start, destroy, suspend…) run as a job: the caller holds
 * {@link #beginJob}'s slot for the whole change, so two changes never interleave, while queries and monitor events
 * only take the domain lock. An async job (a migration) holds the domain across calls and lets through only the
 * changes it allows (see {@link #startAsyncJob}). Changes that come from a QEMU run name it and apply only while it
 * is current. The order in which these locks nest is in the driver's package documentation.
 */
public final class DomainObj {
    /** libvirt's largest migration bandwidth (INT64_MAX bytes/s in MiB/s): what "unlimited" reads back as. */
    public static final long UNLIMITED_MIGRATION_SPEED = Long.MAX_VALUE / (1024 * 1024);

    private final UUID uuid;
    /**
     * The domain lock: guards the fields below (but not the job slots) in short sections. Private, so that only
     * this class decides what runs under it; others go through {@link #withLock}.
     */
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled under {@link #lock} when a run ends (see {@link #awaitInactive}). */
    private final Condition becameInactive = lock.newCondition();
    /** Guards the job slots below; never held while talking to QEMU. */
    private final ReentrantLock jobLock = new ReentrantLock();

    private final Condition jobChanged = jobLock.newCondition();

    /** Written under the domain lock, read without it: the registry reads names under its own lock. */
    private volatile String name;
    /** What describes the domain before it has a persistent or live definition (a transient one being created). */
    private final DomainDef initialDef;

    private DomainDef persistentDef;
    private DomainDef liveDef;
    private boolean autostart;
    private DomainStatus status = DomainStatus.of(StateReason.SHUTOFF_UNKNOWN);
    /** Written under the domain lock, read without it (as {@link #name}). */
    private volatile int id = -1;

    private QemuRun run;
    /** Wall-clock microseconds of the last state change, to tell QEMU events that predate it (see isNewerThanState). */
    private long stateChangedMicros;
    /** What holds the domain's short job (guarded by jobLock), or null. */
    private String syncHolder;

    private volatile DomainJob asyncJob;
    private volatile List<TypedParam> completedJobStats;
    private volatile long migrationMaxSpeedMiBps = UNLIMITED_MIGRATION_SPEED;

    public DomainObj(DomainDef initialDef) {
        this.uuid = initialDef.uuid();
        this.name = initialDef.name();
        this.initialDef = initialDef;
    }

    public UUID uuid() {
        return uuid;
    }

    /**
     * Runs {@code action} under the domain lock, so that what it reads and writes of this domain (and the status
     * file it writes) forms one step no other thread sees half done. Keep it short: no QMP call and no wait for a
     * job under it; taking the registry's lock inside is allowed (see the driver's lock order).
     */
    public void withLock(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #withLock(Runnable)}, returning what {@code action} computes. */
    public <T> T withLock(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** The definition that describes the domain now: the live one while active, else the persistent one. */
    public DomainDef def() {
        return withLock(() -> liveDef != null ? liveDef : persistentDef != null ? persistentDef : initialDef);
    }

    public String name() {
        return name;
    }

    public DomainRef ref() {
        return withLock(() -> new DomainRef(name, uuid, id));
    }

    public DomainDef persistentDef() {
        return withLock(() -> persistentDef);
    }

    /** Sets (or, with null, drops) the persistent definition. */
    public void setPersistentDef(DomainDef def) {
        lock.lock();
        try {
            this.persistentDef = def;
            if (def != null && liveDef == null) {
                this.name = def.name();
            }
        } finally {
            lock.unlock();
        }
    }

    public DomainDef liveDef() {
        return withLock(() -> liveDef);
    }

    public boolean isPersistent() {
        return withLock(() -> persistentDef != null);
    }

    public boolean isActive() {
        return withLock(() -> id >= 0);
    }

    public boolean autostart() {
        return withLock(() -> autostart);
    }

    public void setAutostart(boolean autostart) {
        lock.lock();
        try {
            this.autostart = autostart;
        } finally {
            lock.unlock();
        }
    }

    public DomainStatus status() {
        return withLock(() -> status);
    }

    /** Sets the state of an inactive domain (after define, on recovery, after a failed start). */
    public void setInactiveStatus(StateReason reason) {
        lock.lock();
        try {
            if (id >= 0 || reason.state() != DomainState.SHUTOFF) {
                throw new IllegalStateException("domain '" + name + "' is " + (id >= 0 ? "active" : "inactive")
                        + "; cannot set " + reason + " outside its run");
            }
            this.status = DomainStatus.of(reason);
        } finally {
            lock.unlock();
        }
    }

    public int id() {
        return id;
    }

    /** The current QEMU run, or null while inactive. */
    public QemuRun run() {
        return withLock(() -> run);
    }

    /** The current run, or OPERATION_INVALID "domain is not running". */
    public QemuRun requireRun() {
        lock.lock();
        try {
            if (id < 0 || run == null) {
                throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is not running");
            }
            return run;
        } finally {
            lock.unlock();
        }
    }

    public boolean isCurrent(QemuRun r) {
        return withLock(() -> r != null && run == r);
    }

    /** Records a started (or reconnected) QEMU run. */
    public void markActive(int id, QemuRun run, DomainDef liveDef, StateReason reason) {
        lock.lock();
        try {
            this.id = id;
            this.run = run;
            this.liveDef = liveDef;
            this.name = liveDef.name();
            setStatus(reason);
        } finally {
            lock.unlock();
        }
    }

    private void setStatus(StateReason reason) {
        this.status = DomainStatus.of(reason);
        Instant now = Instant.now();
        this.stateChangedMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /**
     * True when a QEMU event stamped {@code eventMicros} (QEMU stamps events with the wall clock) happened after the
     * last state change. A STOP or RESUME that our own command caused is emitted before QEMU replies, so before the
     * job records the state it meant; handled later on the event thread, it must not undo that state.
     */
    public boolean isNewerThanState(long eventMicros) {
        return withLock(() -> eventMicros > stateChangedMicros);
    }

    /** Replaces the live definition (with what QEMU told after start, e.g. pty paths) while {@code r} is current. */
    public boolean setLiveDefIf(QemuRun r, DomainDef def) {
        lock.lock();
        try {
            if (!isCurrent(r)) {
                return false;
            }
            this.liveDef = def;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Sets the state while {@code r} is the current run; returns false (and changes nothing) otherwise. */
    public boolean setStatusIf(QemuRun r, StateReason reason) {
        lock.lock();
        try {
            if (!isCurrent(r)) {
                return false;
            }
            setStatus(reason);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Moves from a state in {@code from} to {@code to} while {@code r} is current. */
    public boolean transitionIf(QemuRun r, DomainState from, StateReason to) {
        return withLock(() -> status.state() == from && setStatusIf(r, to));
    }

    /**
     * Ends run {@code r}: the domain becomes shut off with {@code reason}. Returns false when {@code r} is no longer
     * current (someone else already ended it), so exactly one caller goes on to clean up.
     */
    public boolean markInactiveIf(QemuRun r, StateReason reason) {
        lock.lock();
        try {
            if (reason.state() != DomainState.SHUTOFF) {
                throw new IllegalArgumentException("an inactive domain is shut off, not " + reason);
            }
            if (!isCurrent(r)) {
                return false;
            }
            this.id = -1;
            this.run = null;
            this.liveDef = null;
            setStatus(reason);
            becameInactive.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the domain is inactive or {@code timeoutMillis} passes; woken by {@link #markInactiveIf}.
     *
     * @return true when it is inactive
     */
    public boolean awaitInactive(long timeoutMillis) throws InterruptedException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (id >= 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                becameInactive.await(left, TimeUnit.MILLISECONDS);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The running async job (save, restore, dump, migration), or null. */
    public DomainJob asyncJob() {
        return asyncJob;
    }

    /**
     * Sets the async job of a change that holds the domain's job for its whole length (save, dump, restore): other
     * changes wait for the job anyway, queries and abort read the async job.
     */
    public void setAsyncJob(DomainJob job) {
        jobLock.lock();
        try {
            this.asyncJob = job;
            jobChanged.signalAll();
        } finally {
            jobLock.unlock();
        }
    }

    /**
     * Starts an async job that outlives the call that starts it (a migration, whose phases are separate calls):
     * waits like {@link #beginJob} for the domain to be free, then parks {@code job} as the domain's async job.
     * Until {@link #endAsyncJob}, only the short jobs it {@linkplain io.jvirt.driver.job.AsyncJobKind#allows allows}
     * and those of its owner may run.
     */
    public void startAsyncJob(DomainJob job, String what, long timeoutMillis) {
        try (Job _ = beginJob(what, SyncJobKind.MODIFY, null, timeoutMillis)) {
            jobLock.lock();
            try {
                this.asyncJob = job;
            } finally {
                jobLock.unlock();
            }
        }
    }

    /** Ends {@code job} if it is still this domain's async job; waiting changes may then go on. */
    public void endAsyncJob(DomainJob job) {
        jobLock.lock();
        try {
            if (asyncJob == job) {
                asyncJob = null;
                jobChanged.signalAll();
            }
        } finally {
            jobLock.unlock();
        }
    }

    /** The bandwidth limit the next outgoing migration starts with, in MiB/s ({@code migrate-setspeed}). */
    public long migrationMaxSpeed() {
        return migrationMaxSpeedMiBps;
    }

    public void setMigrationMaxSpeed(long mibPerSecond) {
        this.migrationMaxSpeedMiBps = mibPerSecond;
    }

    /** Statistics of the last completed async job, for {@code domjobinfo --completed}; null if none. */
    public List<TypedParam> completedJobStats() {
        return completedJobStats;
    }

    public void setCompletedJobStats(List<TypedParam> stats) {
        this.completedJobStats = stats;
    }

    /** True while a state change or an async job holds the domain, so monitor events leave the state to it. */
    public boolean jobActive() {
        jobLock.lock();
        try {
            return syncHolder != null || asyncJob != null;
        } finally {
            jobLock.unlock();
        }
    }

    /** A state change of kind MODIFY: see {@link #beginJob(String, SyncJobKind, DomainJob, long)}. */
    public Job beginJob(String what, long timeoutMillis) {
        return beginJob(what, SyncJobKind.MODIFY, null, timeoutMillis);
    }

    /**
     * Starts a state change: waits up to {@code timeoutMillis} for the change already running to finish, and for
     * an async job that does not allow {@code kind} (unless the caller is that job, {@code owner}), as libvirt
     * waits for its job condition; then fails with libvirt's "cannot acquire state change lock", naming what
     * holds it.
     */
    public Job beginJob(String what, SyncJobKind kind, DomainJob owner, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        jobLock.lock();
        try {
            while (syncHolder != null
                    || asyncJob != null && asyncJob != owner && !asyncJob.kind().allows(kind)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    String holder = syncHolder != null
                            ? syncHolder
                            : "async job '" + asyncJob.kind().jobName() + "'";
                    throw VirtException.of(
                            ErrorCode.OPERATION_TIMEOUT,
                            ErrorDomain.QEMU,
                            "cannot acquire state change lock (held by " + holder + ")");
                }
                jobChanged.awaitNanos(left);
            }
            syncHolder = what;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted waiting for " + what);
        } finally {
            jobLock.unlock();
        }
        return () -> {
            jobLock.lock();
            try {
                syncHolder = null;
                jobChanged.signalAll();
            } finally {
                jobLock.unlock();
            }
        };
    }

    /** A held state-change lock; close to release. */
    @FunctionalInterface
    public interface Job extends AutoCloseable {
        @Override
        void close();
    }
}
