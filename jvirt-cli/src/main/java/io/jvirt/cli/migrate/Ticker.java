package io.jvirt.cli.migrate;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The clock {@link MigrationWatch} reads and the wait it makes between polls, apart so that tests can run the
 * watch on a clock of their own. The production ticker is the JVM's monotonic clock and a real wait.
 */
public interface Ticker {
    /** Monotonic time in nanoseconds. */
    long nanoTime();

    /**
     * Waits until {@code done} is released or {@code nanos} have passed.
     *
     * @return true when {@code done} was released
     */
    boolean await(CountDownLatch done, long nanos) throws InterruptedException;

    /** The real clock. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public boolean await(CountDownLatch done, long nanos) throws InterruptedException {
            return done.await(nanos, TimeUnit.NANOSECONDS);
        }
    };
}
