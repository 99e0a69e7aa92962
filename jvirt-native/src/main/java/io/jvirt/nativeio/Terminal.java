package io.jvirt.nativeio;

/**
 * A pseudo-terminal's slave side opened by path (a guest's serial port QEMU put on {@code /dev/pts/N}), never as
 * the caller's controlling terminal: a daemon that became the tty's controlling process would get its SIGHUP when
 * QEMU goes away.
 *
 * <p>Threading: the calls block in the kernel, so use platform threads.
 */
public final class Terminal {
    /** {@code O_NOCTTY}. */
    private static final int O_NOCTTY = 0x100;

    private Terminal() {}

    /** Opens {@code path} read-write, close-on-exec, without making it a controlling terminal. */
    public static int open(String path) throws NativeIOException {
        return Libc.open(path, Libc.O_RDWR | Libc.O_CLOEXEC | O_NOCTTY);
    }

    /**
     * Waits up to {@code timeoutMillis} for {@code fd} to become readable (or hung up: the other side is gone);
     * true when a read will not block.
     */
    public static boolean awaitReadable(int fd, int timeoutMillis) throws NativeIOException {
        return Libc.poll(fd, Libc.POLLIN, timeoutMillis) != 0;
    }
}
