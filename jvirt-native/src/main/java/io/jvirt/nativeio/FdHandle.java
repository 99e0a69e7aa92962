package io.jvirt.nativeio;

/**
 * Owns one file descriptor and makes closing it safe while other threads use it: the fd number is only
 * released to the kernel once no call is using it, so a late read can never hit a reused number that now
 * belongs to someone else. Thread safe; the lock is never held across a blocking call.
 */
final class FdHandle {
    /** Run once, under the lock, when close is first requested, to wake threads blocked on the fd. */
    @FunctionalInterface
    interface Waker {
        void wake(int fd);
    }

    private final int fd;
    private final String what;
    private int users;
    private boolean closing;
    private boolean released;

    FdHandle(int fd, String what) {
        this.fd = fd;
        this.what = what;
    }

    /** Marks the start of a call on the fd; pair with {@link #release()} in a finally block. */
    synchronized int acquire() throws NativeIOException {
        if (closing) {
            throw NativeIOException.closed(what);
        }
        users++;
        return fd;
    }

    void release() {
        boolean closeNow;
        synchronized (this) {
            users--;
            closeNow = closing && users == 0 && !released;
            if (closeNow) {
                released = true;
            }
        }
        if (closeNow) {
            NativeFds.closeQuietly(fd);
        }
    }

    /** Idempotent. The fd is closed now if idle, otherwise when the last running call returns. */
    void close(Waker waker) {
        boolean closeNow;
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            if (users > 0) {
                waker.wake(fd);
            }
            closeNow = users == 0;
            if (closeNow) {
                released = true;
            }
        }
        if (closeNow) {
            NativeFds.closeQuietly(fd);
        }
    }

    synchronized boolean isClosed() {
        return closing;
    }

    /** The raw number; meaningful only while the handle is open. */
    int fd() {
        return fd;
    }
}
