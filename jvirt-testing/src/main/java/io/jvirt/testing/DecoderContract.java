package io.jvirt.testing;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * What every fuzz target asserts of a decoder fed hostile bytes: it returns, or fails with one of the error types it
 * documents (anything else, an {@link Error} such as a stack overflow included, propagates and is a finding), and
 * what it allocates on the way stays under a bound the decoder's own limits imply. The allocation is the calling
 * thread's, as the JVM counts it, so a hostile length that makes a decoder allocate what the input only claims is
 * caught even when the heap could hold it.
 *
 * <p>Threading: runs the decoder on the calling thread (the fuzzer's); immutable, so one instance serves a target.
 */
public final class DecoderContract {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** A decoder run over one input. */
    @FunctionalInterface
    public interface Decode {
        void run() throws Exception;
    }

    private final long maxAllocatedBytes;
    private final List<Class<? extends Exception>> expected;

    private DecoderContract(long maxAllocatedBytes, List<Class<? extends Exception>> expected) {
        this.maxAllocatedBytes = maxAllocatedBytes;
        this.expected = expected;
    }

    /**
     * A decoder that may fail only with {@code expected} and may allocate at most {@code maxAllocatedBytes} per
     * input.
     */
    public static DecoderContract of(long maxAllocatedBytes, List<Class<? extends Exception>> expected) {
        return new DecoderContract(maxAllocatedBytes, List.copyOf(expected));
    }

    /** Runs {@code decode}: an expected error is the decoder's answer; anything else is rethrown. */
    public void check(Decode decode) throws Exception {
        long used = allocatedBy(decode);
        if (used > maxAllocatedBytes) {
            // The first input to reach a class pays for loading (and the fuzzer's instrumenting) it: measure again.
            used = allocatedBy(decode);
        }
        if (used > maxAllocatedBytes) {
            throw new AssertionError(
                    "the decoder allocated " + used + " bytes for one input, its bound is " + maxAllocatedBytes);
        }
    }

    private long allocatedBy(Decode decode) throws Exception {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            decode.run();
        } catch (Exception e) {
            if (expected.stream().noneMatch(type -> type.isInstance(e))) {
                throw e;
            }
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }
}
