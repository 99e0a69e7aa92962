package io.jvirt.nativeio;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;

/**
 * A readable channel whose bytes wait in a pipe, so a sender can move them into a socket with splice(2) instead of
 * reading them: first {@link #awaitBytes()} says how many are there, then {@link #spliceTo} moves an exact number
 * of them (the sender has written a frame head announcing that number). A sender that cannot splice reads the
 * channel as usual.
 *
 * <p>Threading: one sending thread, a platform thread (both calls block in the kernel).
 */
public interface SpliceSource extends ReadableByteChannel {
    /** Blocks until bytes wait; how many, or -1 at the end of the data. */
    int awaitBytes() throws IOException;

    /** Moves exactly {@code bytes} (at most what {@link #awaitBytes()} said) of the waiting bytes into {@code socket}. */
    void spliceTo(SpliceSocket socket, int bytes) throws IOException;
}
