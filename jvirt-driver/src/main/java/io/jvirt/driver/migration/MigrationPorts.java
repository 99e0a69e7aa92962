package io.jvirt.driver.migration;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.root.MigrationSettings;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ports incoming migrations listen on. Every host on this machine draws from the same range: a port held by
 * this process (another embedded host, another incoming migration) is never handed out twice, and a port held by
 * anyone else is found taken by binding it, and skipped. QEMU binds the port itself a moment later; should
 * another process win that race, the caller asks for the next one.
 *
 * <p>Threading: safe for concurrent callers (one set shared by the whole process).
 */
final class MigrationPorts {
    private static final Logger LOG = System.getLogger(MigrationPorts.class.getName());
    private static final Set<Integer> HELD = ConcurrentHashMap.newKeySet();

    private MigrationPorts() {}

    /** Reserves the first port of the range, after {@code after}, that is free on {@code address}. */
    static int reserve(MigrationSettings settings, String address, int after) {
        for (int port = Math.max(settings.portMin(), after + 1); port <= settings.portMax(); port++) {
            if (HELD.add(port)) {
                if (bindable(address, port)) {
                    return port;
                }
                HELD.remove(port);
            }
        }
        throw VirtException.of(
                ErrorCode.SYSTEM_ERROR,
                ErrorDomain.QEMU,
                "Unable to find an unused port in range 'migration' (" + settings.portMin() + "-" + settings.portMax()
                        + ") on " + address);
    }

    /** How QEMU is told to listen on a port; fails with QEMU's error when the port is taken after all. */
    @FunctionalInterface
    interface Listen {
        void on(int port);
    }

    /**
     * Has QEMU listen ({@code listen}) on the first free port of the range on {@code address}, moving on to the next
     * when another process took the port between the check and QEMU's bind. Returns the port, reserved until
     * {@link #release released}.
     */
    static int listenOnFree(MigrationSettings settings, String address, Listen listen) {
        int after = 0;
        while (true) {
            int port = reserve(settings, address, after);
            try {
                listen.on(port);
                return port;
            } catch (VirtException e) {
                release(port);
                if (!e.getMessage().contains("in use") && !e.getMessage().contains("bind")) {
                    throw e;
                }
                LOG.log(Level.DEBUG, "port {0} was taken after all; trying the next", port);
                after = port;
            }
        }
    }

    static void release(int port) {
        if (port > 0) {
            HELD.remove(port);
        }
    }

    private static boolean bindable(String address, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
