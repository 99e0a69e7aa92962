package io.jvirt.driver.process;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out display ports (5900 and up) for graphics with {@code autoport}. A port is reserved here from the moment
 * it is handed out until its domain stops, so two domains of this driver starting at once never get the same
 * one; and it is tried by binding, since another host on the same machine may be listening on it.
 *
 * <p>Threading: safe for concurrent starts; every method is synchronized and short.
 */
public final class DisplayPorts {
    private static final int FIRST = 5900;
    private static final int LAST = 65535;

    private final Set<Integer> reserved = new HashSet<>();

    public synchronized int reserve(String listen) {
        for (int port = FIRST; port <= LAST; port++) {
            if (!reserved.contains(port) && bindable(listen, port)) {
                reserved.add(port);
                return port;
            }
        }
        throw VirtException.of(
                ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "no free display port between " + FIRST + " and " + LAST);
    }

    public synchronized void release(Collection<Integer> ports) {
        reserved.removeAll(ports);
    }

    private static boolean bindable(String listen, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getByName(listen == null ? "127.0.0.1" : listen), port));
            return true;
        } catch (IOException busy) {
            return false;
        }
    }
}
