package io.jvirt.driver.job;

import io.jvirt.api.JobInfo;
import io.jvirt.api.JobType;
import io.jvirt.api.TypedParam;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One running async job of a domain (save, restore, dump; a migration is a {@code MigrationJob}): what it is, when it began, how far it
 * is, and how to cancel it. The thread that runs the job updates it; query and abort calls read it from theirs.
 *
 * <p>Threading: safe for one job thread and any number of readers; abort may come from any thread.
 */
public class DomainJob {
    private final AsyncJobKind kind;
    private final long startedMillis = System.currentTimeMillis();
    private final long startedNanos = System.nanoTime();
    private volatile Supplier<JobProgress> progress = () -> JobProgress.NOTHING;
    private volatile Runnable abortHook = () -> {};
    private volatile boolean abortRequested;

    public DomainJob(AsyncJobKind kind) {
        this.kind = kind;
    }

    public AsyncJobKind kind() {
        return kind;
    }

    public long startedMillis() {
        return startedMillis;
    }

    /** The job's phase as the status file names it, or null for jobs without phases. */
    public String phaseName() {
        return null;
    }

    /** The API flags the job was started with, kept in the status file; 0 for jobs without flags. */
    public long apiFlags() {
        return 0;
    }

    /** Where the job's progress comes from (e.g. QEMU's query-migrate plus the bytes a pump moved). */
    public void setProgress(Supplier<JobProgress> progress) {
        this.progress = progress;
    }

    /** What abort does for this job (e.g. close the pipe, then migrate_cancel). */
    public void setAbortHook(Runnable abortHook) {
        this.abortHook = abortHook;
    }

    /** Asks the job to stop; the job thread notices, undoes what it did and fails with OPERATION_ABORTED. */
    public void abort() {
        abortRequested = true;
        abortHook.run();
    }

    /**
     * The domain's QEMU went away while this job was still the domain's: undo what only the job knows of (a
     * migration destination's pre-created images). Called once the job is ended, on the thread that noticed the
     * end, under the domain's lock, so it must be short. Nothing by default.
     */
    public void discardedWithRun() {}

    public boolean abortRequested() {
        return abortRequested;
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** {@code virDomainJobInfo} of the running job. */
    public JobInfo info() {
        JobProgress p = progress.get();
        return new JobInfo(
                JobType.UNBOUNDED,
                elapsedMillis(),
                0,
                p.dataTotal(),
                p.dataProcessed(),
                p.dataRemaining(),
                p.memTotal(),
                p.memProcessed(),
                p.memRemaining(),
                0,
                0,
                0);
    }

    /** The running job's statistics as typed parameters, named as libvirt names them. */
    public List<TypedParam> stats() {
        return stats(JobType.UNBOUNDED, progress.get(), elapsedMillis());
    }

    /** Statistics of a job in state {@code type}, with {@code p} and {@code elapsed}; kept after the job ends. */
    public List<TypedParam> stats(JobType type, JobProgress p, long elapsed) {
        List<TypedParam> s = new ArrayList<>();
        s.add(TypedParam.integer("type", type.wire()));
        s.add(TypedParam.integer("operation", kind.operation().wire()));
        s.add(TypedParam.ullong("time_elapsed", elapsed));
        s.add(TypedParam.ullong("data_total", p.dataTotal()));
        s.add(TypedParam.ullong("data_processed", p.dataProcessed()));
        s.add(TypedParam.ullong("data_remaining", p.dataRemaining()));
        s.add(TypedParam.ullong("memory_total", p.memTotal()));
        s.add(TypedParam.ullong("memory_processed", p.memProcessed()));
        s.add(TypedParam.ullong("memory_remaining", p.memRemaining()));
        s.add(TypedParam.ullong("memory_bps", p.memoryBps()));
        s.add(TypedParam.ullong("memory_dirty_rate", p.dirtyRate()));
        s.add(TypedParam.ullong("memory_iteration", p.iteration()));
        return s;
    }

    /** The final statistics to keep for {@code domjobinfo --completed}. */
    public List<TypedParam> completedStats(JobType type) {
        return stats(type, progress.get(), elapsedMillis());
    }
}
