package io.jvirt.it;

import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After each test that passed (and before its {@code @AfterEach}, so a guest the test left running still
 * counts), asks the test instance to prove that jvirt left no QEMU behind; see {@link TestHost#assertNoStrayQemu}.
 * A test that failed is not checked again: its own failure says what went wrong, and teardown reaps what is left.
 */
final class NoStrayQemu implements AfterTestExecutionCallback {
    /** Implemented by IT classes that use the extension. */
    interface Accounted {
        void assertNoStrayQemu() throws Exception;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) throws Exception {
        if (context.getExecutionException().isEmpty() && context.getRequiredTestInstance() instanceof Accounted a) {
            a.assertNoStrayQemu();
        }
    }
}
