package io.jvirt.cli.job;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.JobInfo;
import io.jvirt.api.VirtException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a long domain job (save, managed save, dump) and, with {@code --verbose}, shows its progress the way
 * virsh's job watcher does: a poller thread asks {@link Connection#jobInfo} every {@link #POLL_INTERVAL} and
 * rewrites {@code \rSave: [42.00 %]} on stderr while the job has a known size; once the job has succeeded the
 * line reads 100.00 %. The job itself runs on the calling (main) thread; the poller is a platform daemon thread
 * that ends before {@link #run} returns.
 */
public final class JobProgress {
    /** How often virsh polls a running job. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private JobProgress() {}

    /**
     * Runs {@code job}; when {@code verbose}, reports progress for {@code domain} under {@code label}.
     *
     * @throws VirtException whatever {@code job} throws; failures of the poller's queries are ignored, as virsh
     *                       ignores them (the job may not have started or may have just ended)
     */
    public static void run(
            Connection connection, DomainRef domain, String label, boolean verbose, PrintWriter err, Runnable job) {
        if (!verbose) {
            job.run();
            return;
        }
        CountDownLatch finished = new CountDownLatch(1);
        Thread poller = Thread.ofPlatform()
                .daemon()
                .name("jvirt-job-progress")
                .start(() -> poll(connection, domain, label, err, finished));
        try {
            job.run();
        } finally {
            finished.countDown();
            joinQuietly(poller);
        }
        print(err, label, 0, 1);
    }

    private static void poll(
            Connection connection, DomainRef domain, String label, PrintWriter err, CountDownLatch finished) {
        try {
            while (!finished.await(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
                JobInfo info;
                try {
                    info = connection.jobInfo(domain);
                } catch (VirtException e) {
                    continue;
                }
                if (info.dataTotal() > 0 && finished.getCount() > 0) {
                    print(err, label, info.dataRemaining(), info.dataTotal());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinQuietly(Thread poller) {
        boolean interrupted = false;
        while (true) {
            try {
                poller.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void print(PrintWriter err, String label, long remaining, long total) {
        err.print(line(label, remaining, total));
        err.flush();
    }

    /**
     * One progress update: carriage return, label, percentage done with two decimals cut (not rounded) as virsh
     * cuts them, in a field of five: {@code "\rDump: [ 5.50 %]"}. No remaining work means 100 %.
     */
    public static String line(String label, long remaining, long total) {
        double progress = 100.0;
        if (remaining != 0) {
            double done = toDouble(total) - toDouble(remaining);
            progress = done * 100 / toDouble(total);
        }
        double cut = (int) (progress * 100) / 100.0;
        return String.format(Locale.ROOT, "\r%s: [%5.2f %%]", label, cut);
    }

    // libvirt's counters are unsigned 64-bit.
    private static double toDouble(long unsigned) {
        return unsigned >= 0 ? unsigned : (double) (unsigned >>> 1) * 2.0;
    }
}
