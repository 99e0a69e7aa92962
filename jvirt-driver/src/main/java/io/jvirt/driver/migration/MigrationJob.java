package io.jvirt.driver.migration;

import io.jvirt.api.JobInfo;
import io.jvirt.api.JobType;
import io.jvirt.api.TypedParam;
import io.jvirt.driver.job.AsyncJobKind;
import io.jvirt.driver.job.DomainJob;
import io.jvirt.driver.migration.storage.DiskMirrors;
import io.jvirt.qmp.MigrationStats;
import io.jvirt.qmp.MigrationStatus;
import io.jvirt.qmp.Monitor;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A domain's migration job, out (source) or in (destination), across the calls of one migration: its phase
 * (only ever forward, kept in the status file on every change), its flags, how the domain was before it
 * started, and QEMU's migration parameters from before, to put back afterwards. Statistics come from QEMU's
 * {@code query-migrate} when someone asks, so they are always current.
 *
 * <p>Threading: the phase methods run on whichever API thread runs the phase; query and abort threads read it.
 */
public final class MigrationJob extends DomainJob {
    private final long flags;
    private final boolean wasRunning;
    private volatile MigrationPhase phase = MigrationPhase.NONE;
    private volatile Monitor monitor;
    private volatile Map<String, Object> originalParams;
    private volatile boolean postcopyStarted;
    private volatile int port;
    private volatile String remoteName;
    private volatile AutoCloseable tunnel;
    private volatile DiskMirrors mirrors;
    private volatile IncomingStorage incomingStorage;

    /**
     * @param wasRunning whether the guest ran when the migration began (a source resumes it after a failure
     *                   only then)
     */
    public MigrationJob(AsyncJobKind kind, long flags, boolean wasRunning) {
        super(kind);
        this.flags = flags;
        this.wasRunning = wasRunning;
    }

    public MigrationPhase phase() {
        return phase;
    }

    /** Moves to {@code next}; the caller writes the status file. */
    void enter(MigrationPhase next) {
        phase.requireForwardTo(next);
        this.phase = next;
    }

    @Override
    public String phaseName() {
        return phase.xmlName();
    }

    @Override
    public long apiFlags() {
        return flags;
    }

    public long flags() {
        return flags;
    }

    boolean wasRunning() {
        return wasRunning;
    }

    /** The monitor statistics are read from, once QEMU is there. */
    void attach(Monitor monitor) {
        this.monitor = monitor;
    }

    Monitor monitor() {
        return monitor;
    }

    /** QEMU's parameters from before this migration changed them; null until saved. */
    Map<String, Object> originalParams() {
        return originalParams;
    }

    void setOriginalParams(Map<String, Object> params) {
        this.originalParams = params;
    }

    boolean postcopyStarted() {
        return postcopyStarted;
    }

    void markPostcopyStarted() {
        this.postcopyStarted = true;
    }

    /** The destination's listening port (0 = none), released when the job ends. */
    int port() {
        return port;
    }

    void setPort(int port) {
        this.port = port;
    }

    /** The domain's name on the other host (the name its cookies carry), when it differs by a rename. */
    String remoteName() {
        return remoteName;
    }

    void setRemoteName(String remoteName) {
        this.remoteName = remoteName;
    }

    /** A tunnelled incoming migration's feed into QEMU, closed when the job ends whatever the outcome. */
    void setTunnel(AutoCloseable tunnel) {
        this.tunnel = tunnel;
    }

    /** The feed set by {@link #setTunnel}, or null. */
    AutoCloseable tunnel() {
        return tunnel;
    }

    /** Closes the tunnel, if any; idempotent. */
    void closeTunnel() {
        AutoCloseable t = tunnel;
        tunnel = null;
        if (t != null) {
            try {
                t.close();
            } catch (Exception ignored) {
                // the tunnel is being given up; its own failure has been reported where it happened
            }
        }
    }

    /** An outgoing storage migration's mirrors, or null. */
    DiskMirrors mirrors() {
        return mirrors;
    }

    void setMirrors(DiskMirrors mirrors) {
        this.mirrors = mirrors;
    }

    /** An incoming storage migration's images and NBD server, or null. */
    IncomingStorage incomingStorage() {
        return incomingStorage;
    }

    void setIncomingStorage(IncomingStorage storage) {
        this.incomingStorage = storage;
    }

    /** An incoming storage migration whose QEMU died removes the images it created. */
    @Override
    public void discardedWithRun() {
        IncomingStorage storage = incomingStorage;
        if (storage != null) {
            storage.failed();
        }
    }

    /** The statistics now, in state {@code type}: QEMU's, and the disk mirrors' when storage is copied. */
    MigrationJobStats snapshot(JobType type) {
        MigrationStats stats = query();
        DiskMirrors m = mirrors;
        return new MigrationJobStats(
                type, kind().operation(), elapsedMillis(), stats, m == null ? DiskMirrors.Progress.NONE : m.progress());
    }

    private MigrationStats query() {
        Monitor m = monitor;
        if (m != null) {
            try {
                return m.queryMigrate();
            } catch (IOException e) {
                // QEMU is going away: report what there is (nothing), the job's end explains the rest
            }
        }
        return new MigrationStats(MigrationStatus.NONE, 0, 0, 0, 0, 0, null, List.of(), null, null);
    }

    @Override
    public JobInfo info() {
        return snapshot(JobType.UNBOUNDED).info();
    }

    @Override
    public List<TypedParam> stats() {
        return snapshot(JobType.UNBOUNDED).params();
    }

    @Override
    public List<TypedParam> completedStats(JobType type) {
        return snapshot(type).params();
    }
}
