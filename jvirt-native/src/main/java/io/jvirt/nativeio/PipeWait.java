package io.jvirt.nativeio;

/**
 * Waiting on a pipe's read end without reading it, so that what is there can then be moved by splice(2) in one
 * exact piece (see {@link SpliceSocket#fromPipe}). Blocks in the kernel: platform threads only.
 */
public final class PipeWait {
    private PipeWait() {}

    /**
     * Blocks until {@code fd} has bytes or its writers are all gone; returns how many bytes it holds now, 0 meaning
     * the end (no writer left and nothing buffered).
     */
    public static int awaitBytes(int fd) throws NativeIOException {
        while (true) {
            short revents = Libc.poll(fd, Libc.POLLIN, -1);
            int n = Libc.bytesReadable(fd);
            if (n > 0 || revents != 0) {
                return n;
            }
        }
    }
}
