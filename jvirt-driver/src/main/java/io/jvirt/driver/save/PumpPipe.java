package io.jvirt.driver.save;

import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.NativeIOException;
import io.jvirt.nativeio.Pipe;

/**
 * The pipe between QEMU and a pump, made as large as the kernel lets an unprivileged process have (1 MiB down to
 * 64 KiB), so QEMU writes big chunks and the pump thread wakes less often. Also the close-once holder of the end
 * QEMU gets.
 */
final class PumpPipe {
    private static final int EPERM = 1;
    private static final int LARGEST = 1 << 20;
    private static final int SMALLEST = 64 * 1024;

    private PumpPipe() {}

    /** A new close-on-exec pipe; its size falls back by halves when the kernel refuses (EPERM above the limit). */
    static Pipe open() throws NativeIOException {
        for (int size = LARGEST; size >= SMALLEST; size /= 2) {
            try {
                return Pipe.open(size);
            } catch (NativeIOException e) {
                if (e.errno() != EPERM) {
                    throw e;
                }
            }
        }
        return Pipe.open(0);
    }

    /** Our copy of the fd QEMU gets: the caller passes it with getfd, then has us close it exactly once. */
    static final class QemuEnd {
        private final int fd;
        private boolean closed;

        QemuEnd(int fd) {
            this.fd = fd;
        }

        synchronized int fd() {
            if (closed) {
                throw new IllegalStateException("QEMU's pipe end was already closed here");
            }
            return fd;
        }

        synchronized void close() {
            if (!closed) {
                closed = true;
                NativeFds.closeQuietly(fd);
            }
        }
    }
}
