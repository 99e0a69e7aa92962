package io.jvirt.driver.save;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@link SaveWriter} and {@link RestoreReader} share whatever the direction: QEMU's pipe end, our pipe end,
 * the (de)compressor, the pump's platform threads and their outcome, and the abort and failure paths. The owner
 * keeps the direction-specific setup and copy loop and delegates its lifecycle methods here. Methods may be called
 * from any thread; {@link #runPump} runs on a pump thread.
 */
final class PumpLifecycle {
    /** Size of the pumps' copy buffers. */
    static final int BUFFER_SIZE = 1 << 20;

    /** The pump's body: copies, finishes, ends with {@link #checkNotAborted()}; any failure it throws is reported. */
    @FunctionalInterface
    interface Body {
        void run() throws IOException;
    }

    private final String abortedMessage;
    private final PumpPipe.QemuEnd qemuEnd;
    private final Runnable closeOurEnd;
    private final ChildProgram child;
    private final Runnable afterAbort;
    private final Runnable afterFailure;
    private final PumpCompletion completion;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean aborted;
    private volatile VirtException failure;

    /**
     * @param what           the job in words, e.g. "writing save image '/x' of domain 'd'"
     * @param abortedMessage the OPERATION_ABORTED detail
     * @param qemuFd         the pipe end QEMU gets; closed here once
     * @param closeOurEnd    closes the pump's own pipe end (idempotent, does not throw)
     * @param child          the (de)compressor, or null for a raw image
     * @param afterAbort     the owner's own cleanup, last in {@link #abort()}
     * @param afterFailure   the owner's own cleanup after a failure, before the failure is reported
     */
    PumpLifecycle(
            String what,
            String abortedMessage,
            int qemuFd,
            Runnable closeOurEnd,
            ChildProgram child,
            Runnable afterAbort,
            Runnable afterFailure) {
        this.abortedMessage = abortedMessage;
        this.qemuEnd = new PumpPipe.QemuEnd(qemuFd);
        this.closeOurEnd = closeOurEnd;
        this.child = child;
        this.afterAbort = afterAbort;
        this.afterFailure = afterFailure;
        this.completion = new PumpCompletion(what);
    }

    /** A new unstarted platform daemon thread that {@link #start()} starts and {@link #awaitDone} joins. */
    Thread thread(String name, Runnable body) {
        Thread t = Thread.ofPlatform().daemon(true).name(name).unstarted(body);
        threads.add(t);
        return t;
    }

    /** Starts the threads made by {@link #thread}, in the order they were made; call once. */
    void start() {
        completion.threads(threads);
        threads.forEach(Thread::start);
    }

    int qemuFd() {
        return qemuEnd.fd();
    }

    void closeQemuFd() {
        qemuEnd.close();
    }

    boolean isDone() {
        return completion.isDone();
    }

    boolean isAborted() {
        return aborted;
    }

    /** The child process, if any, for tests. */
    Optional<ProcessHandle> child() {
        return Optional.ofNullable(child).map(ChildProgram::handle);
    }

    /** The failure's message; waits up to 2 s for the pump to settle; empty if none yet or aborted. */
    Optional<String> failure() {
        completion.settle();
        VirtException e = failure;
        return e == null || aborted ? Optional.empty() : Optional.of(e.getMessage());
    }

    /** Aborts unless the pump already finished, then closes QEMU's end. */
    void close() {
        if (!completion.isDone()) {
            abort();
        }
        qemuEnd.close();
    }

    void awaitDone(Duration timeout) {
        completion.await(timeout);
    }

    /**
     * Our pipe end first, so QEMU is neither left blocked on a full pipe nor waiting for bytes, then QEMU's end,
     * then the child is killed (and waited for), then the owner's cleanup. Idempotent.
     */
    void abort() {
        aborted = true;
        closeOurEnd.run();
        qemuEnd.close();
        if (child != null) {
            child.kill();
        }
        afterAbort.run();
    }

    /**
     * Runs on a pump thread: the body, then success. A failure is recorded (OPERATION_ABORTED once aborted) before
     * cleaning up, so a caller told by QEMU that the job failed can read our reason.
     *
     * @param ioFailure what failed when the body throws an IOException, e.g. "cannot write save image '/x'"
     * @param pumpName  the pump in words for a crash, e.g. "save pump of domain 'd'"
     */
    void runPump(Body body, String ioFailure, String pumpName) {
        try {
            body.run();
            completion.succeed();
        } catch (IOException e) {
            fail(aborted ? abortedError() : SaveErrors.io(ioFailure, e));
        } catch (VirtException e) {
            fail(aborted ? abortedError() : e);
        } catch (RuntimeException | Error e) {
            fail(SaveErrors.failed(pumpName + " crashed: " + e, e));
        }
    }

    void checkNotAborted() {
        if (aborted) {
            throw abortedError();
        }
    }

    VirtException abortedError() {
        return VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, abortedMessage);
    }

    private void fail(VirtException e) {
        failure = e;
        // Our end first: QEMU then gets EPIPE (save) or end of stream (restore) instead of waiting forever.
        closeOurEnd.run();
        if (child != null) {
            child.kill();
            child.stderrText();
        }
        afterFailure.run();
        completion.fail(e);
    }
}
