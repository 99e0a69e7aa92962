package io.jvirt.api.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CloseablesTest {
    @Test
    void closesAndSwallowsOnlyTheCloseFailure() {
        AtomicInteger closed = new AtomicInteger();
        Closeable failing = () -> {
            closed.incrementAndGet();
            throw new IOException("disk gone");
        };
        Closeables.closeQuietly(failing);
        Closeables.closeQuietly(null);
        assertThat(closed).hasValue(1);
    }
}
