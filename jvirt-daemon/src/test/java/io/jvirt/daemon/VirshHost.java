package io.jvirt.daemon;

import io.jvirt.api.Connection;
import io.jvirt.guest.GuestHost;
import java.nio.file.Path;
import java.util.List;

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

    /** {@code virsh domstate --reason DOMAIN} as virsh prints it, e.g. "running (migrated)". */
    String domstate(String domain) throws Exception {
        return virsh().run("domstate", "--reason", domain).out().strip();
    }

    /** {@code virsh list --all --name}: the names of every domain the host knows. */
    List<String> names() throws Exception {
        return virsh().run("list", "--all", "--name")
                .out()
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
    }

    /** The host as {@link io.jvirt.guest.GuestIntegrity} looks at it. */
    GuestHost guest() {
        return new GuestHost(label, connection, root);
    }
}
