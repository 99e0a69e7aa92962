package io.jvirt.nativeio;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;

/**
 * A readable channel that can put its bytes straight into a pipe (by splice(2) from the socket they arrive on,
 * or one write from the buffer that holds them), so a consumer that only forwards them to a pipe need not read
 * them into the JVM. Once {@link #transferTo} has been called, the consumer keeps using it, not {@code read}.
 *
 * <p>Threading: one consuming thread, a platform thread (the transfer blocks in the kernel while the pipe is full).
 */
public interface PipeFeed extends ReadableByteChannel {
    /** Moves the next bytes into {@code pipeFd}, blocking until some arrive; how many, or -1 at the end. */
    long transferTo(int pipeFd) throws IOException;
}
