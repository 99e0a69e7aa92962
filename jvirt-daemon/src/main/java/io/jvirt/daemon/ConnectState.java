package io.jvirt.daemon;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What CONNECT_OPEN and CONNECT_CLOSE set on one client connection: the URI it opened, whether it is read-only
 * (because of the socket it came in on, or flag bit 0 of its open), and whether it ends after the current reply.
 *
 * <p>Threading: set on call threads, read on the reader thread (the read-only check before a call starts) and on
 * call threads; the fields are volatile or atomic for that.
 */
final class ConnectState {
    private static final String DEFAULT_URI = "qemu:///system";
    private static final int OPEN_READ_ONLY = 1;

    private final boolean readOnlySocket;
    private final AtomicBoolean opened = new AtomicBoolean();
    private volatile boolean readOnlyOpen;
    private volatile String uri = DEFAULT_URI;
    private volatile boolean closeAfterReply;

    ConnectState(boolean readOnlySocket) {
        this.readOnlySocket = readOnlySocket;
    }

    /** CONNECT_OPEN: only QEMU URIs; flag bit 0 makes the connection read-only; once per connection. */
    void open(String name, int flags) {
        if (name != null && !name.isEmpty() && !name.startsWith("qemu")) {
            throw VirtException.of(ErrorCode.NO_CONNECT, ErrorDomain.REMOTE, name);
        }
        if (!opened.compareAndSet(false, true)) {
            throw VirtException.of(ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC, "connection already open");
        }
        readOnlyOpen = (flags & OPEN_READ_ONLY) != 0;
        if (name != null && !name.isEmpty()) {
            uri = name;
        }
    }

    String uri() {
        return uri;
    }

    boolean isReadOnly() {
        return readOnlySocket || readOnlyOpen;
    }

    /** CONNECT_CLOSE: the connection ends once the reply is written. */
    void closeAfterReply() {
        closeAfterReply = true;
    }

    boolean closesAfterReply() {
        return closeAfterReply;
    }
}
