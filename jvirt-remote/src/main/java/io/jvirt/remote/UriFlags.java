package io.jvirt.remote;

import io.jvirt.api.ConnectionUri;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;

/**
 * The client's switches in a URI's query ({@code no_tty}, {@code no_verify}, {@code no_sanity}) read as libvirt's
 * remote driver reads them: an integer, on unless 0. Anything else is refused rather than guessed, so that
 * {@code no_verify=false} can never turn certificate checks off.
 *
 * <p>Stateless; any thread.
 */
final class UriFlags {
    private UriFlags() {}

    /** Whether {@code name} is set to a non-zero integer; false when absent. */
    static boolean flag(ConnectionUri uri, String name) {
        String v = uri.param(name);
        if (v == null) {
            return false;
        }
        try {
            return Integer.parseInt(v.strip()) != 0;
        } catch (NumberFormatException e) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG, ErrorDomain.REMOTE, "Failed to parse value of URI component " + name);
        }
    }
}
