package io.jvirt.daemon;

import io.jvirt.nativeio.NativeIOException;
import io.jvirt.nativeio.UnixDatagram;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * sd_notify: tells the service manager that started jvirtd (Type=notify) how it stands, one datagram to
 * {@code $NOTIFY_SOCKET}: {@code READY=1} once every socket is bound, {@code STOPPING=1} when SIGTERM arrives.
 * Without NOTIFY_SOCKET nothing is sent. Only a path is supported, not an abstract socket ({@code @name}), which
 * systemd uses for user managers in containers only.
 *
 * <p>Threading: any thread; each call opens, sends and closes.
 */
final class SystemdNotify {
    private static final System.Logger LOG = System.getLogger(SystemdNotify.class.getName());

    private SystemdNotify() {}

    /** Sends {@code state} to $NOTIFY_SOCKET, if set; a failure is logged, never thrown. */
    static void send(String state) {
        send(System.getenv("NOTIFY_SOCKET"), state);
    }

    static void send(String socket, String state) {
        if (socket == null || socket.isBlank()) {
            return;
        }
        if (socket.startsWith("@")) {
            LOG.log(System.Logger.Level.WARNING, "NOTIFY_SOCKET {0}: abstract sockets are not supported", socket);
            return;
        }
        try (UnixDatagram d = UnixDatagram.connect(Path.of(socket))) {
            d.send(state.getBytes(StandardCharsets.UTF_8));
        } catch (NativeIOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot notify {0}: {1}", socket, e.getMessage());
        }
    }
}
