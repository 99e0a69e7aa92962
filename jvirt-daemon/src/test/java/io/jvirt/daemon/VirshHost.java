package io.jvirt.daemon;

import io.jvirt.api.Connection;
import io.jvirt.guest.GuestHost;
import java.nio.file.Path;

/**
 * A test daemon as its virsh user sees it: a label for messages, its root, the socket virsh reaches it on, and a
 * connection for look-ups (the daemon's own driver when it runs in this JVM, a remote one when it runs as its own
 * process; the fixture that made it closes it).
 */
record VirshHost(String label, Path root, Path socket, Connection connection) {
    /** The host of a daemon running in this JVM. */
    static VirshHost of(String label, Daemon daemon, Path root) {
        return new VirshHost(label, root, daemon.rwSocket(), daemon.driver());
    }

    /** The URI another daemon or virsh reaches it by. */
    String uri() {
        return "qemu+unix:///system?socket=" + socket;
    }

    Virsh virsh() {
        return Virsh.on(socket);
    }

    /** The host as {@link io.jvirt.guest.GuestIntegrity} looks at it. */
    GuestHost guest() {
        return new GuestHost(label, connection, root);
    }
}
