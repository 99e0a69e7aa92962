package io.jvirt.remote;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;

/**
 * The errors the client raises itself, worded as libvirt's RPC client words them so callers can match them; a
 * failed or ended socket read is a system error of the RPC domain, as libvirt reports it.
 */
final class RemoteErrors {
    private RemoteErrors() {}

    /** The peer closed the socket (or it broke) while we were reading. */
    static VirtException endOfFile(Throwable cause) {
        return endOfFile(cause, "");
    }

    /**
     * As {@link #endOfFile(Throwable)}, with what the transport's helper process said before it went (ssh's stderr),
     * placed as libvirt places it: "End of file while reading data: DETAIL: Input/output error".
     */
    static VirtException endOfFile(Throwable cause, String detail) {
        return VirtException.of(
                ErrorCode.SYSTEM_ERROR,
                ErrorDomain.RPC,
                "End of file while reading data: " + (detail.isEmpty() ? "" : detail + ": ")
                        + (cause == null || cause.getMessage() == null ? "Input/output error" : cause.getMessage()),
                cause);
    }

    /**
     * Reading the socket failed (a reset, rather than an orderly end), with what the transport's helper process said
     * before it went, as libvirt words it: "Cannot recv data: DETAIL: Connection reset by peer".
     */
    static VirtException cannotRecv(IOException cause, String detail) {
        return VirtException.of(
                ErrorCode.SYSTEM_ERROR,
                ErrorDomain.RPC,
                "Cannot recv data: " + (detail.isEmpty() ? "" : detail + ": ") + systemWords(cause),
                cause);
    }

    /** The C library's words for an error the JDK words its own way (ECONNRESET is just "Connection reset"). */
    private static String systemWords(IOException e) {
        String m = e.getMessage();
        if (m == null) {
            return e.toString();
        }
        return m.equals("Connection reset") ? "Connection reset by peer" : m;
    }

    /** The peer stopped answering keepalive PINGs. */
    static VirtException keepaliveTimeout(long silentMillis) {
        return VirtException.of(
                ErrorCode.RPC,
                ErrorDomain.RPC,
                "connection closed due to keepalive timeout (" + silentMillis + " ms without data)");
    }

    /** A call on a connection that is already closed or lost. */
    static VirtException socketClosed() {
        return VirtException.of(ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC, "client socket is closed");
    }

    /** The peer sent something that breaks the protocol; the connection cannot be trusted afterwards. */
    static VirtException protocol(String detail, Throwable cause) {
        return VirtException.of(ErrorCode.RPC, ErrorDomain.RPC, detail, cause);
    }
}
