package io.jvirt.nativeio;

import java.io.IOException;

/**
 * A libc call failed: carries the call's name and errno so callers can tell, say, ECONNREFUSED from ENOENT
 * without parsing the message.
 */
public class NativeIOException extends IOException {
    private final String call;
    private final int errno;
    private final String reason;

    public NativeIOException(String call, int errno, String reason) {
        super(call + ": " + reason + " (errno " + errno + ")");
        this.call = call;
        this.errno = errno;
        this.reason = reason;
    }

    /** The system's text for errno (strerror), e.g. {@code "No such device"}. */
    public String reason() {
        return reason;
    }

    /** The libc function that failed, e.g. {@code "connect"}. */
    public String call() {
        return call;
    }

    /** The errno value the call left, e.g. 111 for ECONNREFUSED. */
    public int errno() {
        return errno;
    }

    static NativeIOException closed(String what) {
        return new NativeIOException(what, Libc.EBADF, "already closed");
    }
}
