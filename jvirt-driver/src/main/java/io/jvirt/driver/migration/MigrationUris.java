package io.jvirt.driver.migration;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;

/**
 * The parts of a QEMU migration URI ({@code tcp:HOST:PORT} and its spellings) that the phases need: the host a
 * destination named, to check it and to replace a wildcard, and the port.
 */
final class MigrationUris {
    private MigrationUris() {}

    /** The host part of a migration URI ({@code tcp:HOST:PORT}, {@code tcp://HOST:PORT}, {@code tcp:[v6]:PORT}). */
    static String uriHost(String uri) {
        String rest = uri.substring(uri.indexOf(':') + 1);
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            return close > 0 ? rest.substring(1, close) : rest;
        }
        int colon = rest.lastIndexOf(':');
        String host = colon > 0 ? rest.substring(0, colon) : rest;
        int slash = host.indexOf('/');
        return slash >= 0 ? host.substring(0, slash) : host;
    }

    /**
     * The URI as QEMU's {@code migrate} takes it: {@code tcp://HOST:PORT}, the spelling libvirt's destination answers
     * with when the caller named the address ({@code --migrateuri tcp://ADDR}), becomes {@code tcp:HOST:PORT}, which
     * is the only one QEMU reads; anything else goes as it is.
     */
    static String forQemu(String uri) {
        if (!uri.startsWith("tcp://")) {
            return uri;
        }
        String host = uriHost(uri);
        int port = uriPort(uri);
        String h = bracket(host);
        return port == 0 ? "tcp:" + h : "tcp:" + h + ":" + port;
    }

    /** A host as it goes into a URI: an IPv6 address in brackets. */
    static String bracket(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    /** The port of a migration URI, or 0 when it names none. */
    static int uriPort(String uri) {
        int colon = uri.lastIndexOf(':');
        int bracket = uri.lastIndexOf(']');
        if (colon < 0 || colon < bracket || colon == uri.indexOf(':')) {
            return 0;
        }
        String digits = uri.substring(colon + 1).replaceAll("/.*$", "");
        try {
            int port = Integer.parseInt(digits);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "invalid port in migration URI '" + uri + "'");
        }
    }
}
