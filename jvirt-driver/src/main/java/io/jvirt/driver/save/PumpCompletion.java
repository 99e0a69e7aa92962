package io.jvirt.driver.save;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The outcome of a pump: completed once by the pump thread as its last act, awaited by the job thread. Waiting
 * also joins the pump's threads, so when {@link #await} returns or throws its failure, no pump thread is left.
 */
final class PumpCompletion {
    /** How long {@link #settle()} gives a pump that is about to finish. */
    static final long SETTLE_MILLIS = 2000;

    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final String what;
    private volatile List<Thread> threads = List.of();

    /** @param what the job in words for timeout messages, e.g. "writing save image '/x' of domain 'd'" */
    PumpCompletion(String what) {
        this.what = what;
    }

    /** The threads {@link #await} joins; set before they start. */
    void threads(List<Thread> pumpThreads) {
        this.threads = List.copyOf(pumpThreads);
    }

    void succeed() {
        done.complete(null);
    }

    /** Records the first failure; later ones are the same failure seen from elsewhere and are dropped. */
    void fail(VirtException e) {
        done.completeExceptionally(e);
    }

    /** Waits up to {@link #SETTLE_MILLIS} for the outcome, without reporting it. */
    void settle() {
        try {
            done.get(SETTLE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The caller reads the outcome itself; still running is an answer too.
        }
    }

    boolean isDone() {
        return done.isDone();
    }

    /**
     * Waits for the pump's result.
     *
     * @throws VirtException the pump's failure; OPERATION_TIMEOUT if it is still running after {@code timeout};
     *                       OPERATION_ABORTED if this thread is interrupted
     */
    void await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            joinThreads(deadline);
        } catch (TimeoutException e) {
            throw VirtException.of(
                    ErrorCode.OPERATION_TIMEOUT,
                    ErrorDomain.QEMU,
                    what + " did not finish within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            joinThreads(deadline);
            if (e.getCause() instanceof VirtException v) {
                throw v;
            }
            throw VirtException.of(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, what + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted while " + what);
        }
    }

    private void joinThreads(long deadline) {
        try {
            for (Thread t : threads) {
                long left = deadline - System.nanoTime();
                // The result is set as each thread's last act, so these joins end at once.
                t.join(Duration.ofNanos(Math.max(left, TimeUnit.MILLISECONDS.toNanos(100))));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
