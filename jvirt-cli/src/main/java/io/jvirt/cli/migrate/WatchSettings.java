package io.jvirt.cli.migrate;

/**
 * What the main thread does while a migration runs: draw progress ({@code --verbose}), force the migration after
 * {@code --timeout} seconds by suspending the guest or switching to post-copy, switch to post-copy when the first
 * pass over memory is done ({@code --postcopy-after-precopy}). Pure.
 *
 * @param timeoutSeconds 0 for no timeout
 */
public record WatchSettings(
        boolean verbose, long timeoutSeconds, TimeoutAction timeoutAction, boolean postcopyAfterPrecopy) {
    /** What {@code --timeout} does when it expires. */
    public enum TimeoutAction {
        /** {@code --timeout-suspend}, the default: pause the guest so the last pass can finish. */
        SUSPEND,
        /** {@code --timeout-postcopy}: switch to post-copy. */
        POSTCOPY
    }

    /** Whether the watch needs the job's statistics at all. */
    boolean polls() {
        return verbose || postcopyAfterPrecopy;
    }
}
