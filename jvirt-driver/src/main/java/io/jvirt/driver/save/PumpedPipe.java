package io.jvirt.driver.save;

import java.time.Duration;
import java.util.Optional;

/**
 * A pipe between QEMU and a save image that jvirt pumps on threads of its own (the writer of a save, the reader of
 * a restore): QEMU's end of the pipe, the pump's outcome, and giving up. What the pump does and which errors it
 * raises is the subclass's business; the life of the pipe is the same for both and kept in one
 * {@link PumpLifecycle}.
 *
 * <p>Threading: any method from any thread.
 */
public abstract sealed class PumpedPipe implements AutoCloseable permits SaveWriter, RestoreReader {
    final PumpLifecycle lifecycle;

    PumpedPipe(PumpLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    /** QEMU's end of the pipe (pass it with getfd); valid until {@link #closeQemuFd()}. */
    public int qemuFd() {
        return lifecycle.qemuFd();
    }

    /** Closes our copy of QEMU's end once QEMU holds its own, so that QEMU's side decides when the pipe ends. */
    public void closeQemuFd() {
        lifecycle.closeQemuFd();
    }

    public boolean isDone() {
        return lifecycle.isDone();
    }

    /**
     * Why the pump failed, for a caller whom QEMU just told that the job failed: the pump's failure is often the
     * cause (a dead compressor, a full disk). Waits up to 2 s for the pump to settle, since QEMU can notice the
     * broken pipe first. Empty if the pump succeeded, is still running or was aborted.
     */
    public Optional<String> failure() {
        return lifecycle.failure();
    }

    /** Aborts unless the pump already finished; for try-with-resources around the whole job. */
    @Override
    public void close() {
        lifecycle.close();
    }

    /**
     * Waits until the pump has moved the whole stream and its child program (if any) exited cleanly; throws the
     * pump's error otherwise, OPERATION_ABORTED after {@link #abort()}, OPERATION_TIMEOUT after {@code timeout}.
     */
    public void awaitDone(Duration timeout) {
        lifecycle.awaitDone(timeout);
    }

    /** Gives up: our pipe ends first (so QEMU neither blocks nor waits), then the child program. Idempotent. */
    public void abort() {
        lifecycle.abort();
    }
}
