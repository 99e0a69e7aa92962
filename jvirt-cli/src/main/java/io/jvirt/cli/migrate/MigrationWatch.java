package io.jvirt.cli.migrate;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.cli.job.JobProgress;
import java.io.PrintWriter;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the main thread does while a worker thread migrates, as virsh's job watcher does: it waits for the worker,
 * waking every {@link JobProgress#POLL_INTERVAL} to read the job's statistics when it needs them and once when
 * {@code --timeout} expires. Progress goes to stderr as {@code \rMigration: [ 42.00 %] …}, each update padded to
 * hide the longer one before it. {@link #requestAbort} may be called from any thread (the Ctrl-C handler); the
 * rest runs on the thread that calls {@link #watch}.
 */
public final class MigrationWatch {
    private static final Logger LOG = System.getLogger(MigrationWatch.class.getName());

    private final Connection source;
    private final DomainRef domain;
    private final WatchSettings settings;
    private final PrintWriter err;
    private final Ticker ticker;
    private final AtomicBoolean abortRequested = new AtomicBoolean();
    private boolean timeoutFired;
    private boolean switchedToPostcopy;
    private boolean noteShown;
    private int shownWidth;

    public MigrationWatch(Connection source, DomainRef domain, WatchSettings settings, PrintWriter err, Ticker ticker) {
        this.source = source;
        this.domain = domain;
        this.settings = settings;
        this.err = err;
        this.ticker = ticker;
    }

    /** Returns once {@code done} is released (the worker has finished, whichever way). */
    public void watch(CountDownLatch done) {
        long start = ticker.nanoTime();
        long poll = TimeUnit.MILLISECONDS.toNanos(JobProgress.POLL_INTERVAL.toMillis());
        long deadline = settings.timeoutSeconds() > 0
                ? start + TimeUnit.SECONDS.toNanos(settings.timeoutSeconds())
                : Long.MAX_VALUE;
        long nextPoll = settings.polls() ? start + poll : Long.MAX_VALUE;
        boolean interrupted = false;
        while (true) {
            long wakeAt = Math.min(nextPoll, timeoutFired ? Long.MAX_VALUE : deadline);
            long now = ticker.nanoTime();
            try {
                if (ticker.await(done, wakeAt == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, wakeAt - now))) {
                    break;
                }
            } catch (InterruptedException e) {
                // The worker owns the job; an interrupted watcher can only ask the job to stop and wait for it.
                interrupted = true;
                requestAbort();
                continue;
            }
            now = ticker.nanoTime();
            if (!timeoutFired && deadline != Long.MAX_VALUE && now - deadline >= 0) {
                timeoutFired = true;
                onTimeout();
            }
            if (nextPoll != Long.MAX_VALUE && now - nextPoll >= 0) {
                poll(done);
                nextPoll = now + poll;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the source to abort the migration job, once however often it is called (Ctrl-C). */
    public void requestAbort() {
        if (abortRequested.compareAndSet(false, true)) {
            try {
                source.abortJob(domain);
            } catch (VirtException e) {
                LOG.log(Level.DEBUG, "aborting the migration of {0} failed: {1}", domain.name(), e.getMessage());
            }
        }
    }

    /**
     * With {@code --verbose}, ends the progress as virsh does after success ({@code Migration: [100.00 %]}) and adds
     * the summary of the completed job when there is one.
     */
    public void completed(Optional<String> summary) {
        if (!settings.verbose()) {
            return;
        }
        show(JobProgress.line(MigrationStatusLine.LABEL, 0, 1).substring(1));
        summary.ifPresent(s -> err.print("\n" + s));
        err.flush();
    }

    private void onTimeout() {
        try {
            switch (settings.timeoutAction()) {
                case SUSPEND -> source.suspend(domain);
                case POSTCOPY -> source.migrateStartPostCopy(domain, 0);
            }
        } catch (VirtException e) {
            // As virsh: the migration goes on; its own result is what the user sees.
            LOG.log(Level.DEBUG, "timeout action on {0} failed: {1}", domain.name(), e.getMessage());
        }
    }

    private void poll(CountDownLatch done) {
        List<TypedParam> stats;
        try {
            stats = source.jobStats(domain, 0);
        } catch (VirtException e) {
            return; // the job may not have started yet or may have just ended
        }
        MigrationSample sample = MigrationSample.of(stats);
        if (settings.postcopyAfterPrecopy() && !switchedToPostcopy && sample.iteration() >= 2) {
            switchedToPostcopy = true;
            try {
                source.migrateStartPostCopy(domain, 0);
            } catch (VirtException e) {
                LOG.log(Level.DEBUG, "switching {0} to post-copy failed: {1}", domain.name(), e.getMessage());
            }
        }
        if (settings.verbose() && sample.dataTotal() > 0 && done.getCount() > 0) {
            show(MigrationStatusLine.progress(sample));
            if (sample.notConverging() && !noteShown) {
                noteShown = true;
                err.print("\n" + MigrationStatusLine.notConvergingNote(sample) + "\n");
                shownWidth = 0;
            }
            err.flush();
        }
    }

    private void show(String text) {
        err.print("\r" + text + " ".repeat(Math.max(0, shownWidth - text.length())));
        shownWidth = text.length();
    }
}
