package io.jvirt.driver.migration.tunnel;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.nativeio.UnixServerSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Opens the Unix socket a source's tunnel listens at for QEMU's connections. Any thread. */
final class TunnelListen {
    private TunnelListen() {}

    /**
     * Binds {@code socket}, replacing a stale one; fails with SYSTEM_ERROR naming {@code what} (for example
     * {@code "the tunnel's channels"}) and the socket.
     */
    static UnixServerSocket bind(Path socket, String what) {
        try {
            Files.deleteIfExists(socket); // left by a daemon that died mid-migration
            UnixServerSocket server = UnixServerSocket.bind(socket);
            // QEMU connects here as its own user: connecting takes write permission on the socket. The socket lies
            // in the domain's private directory, which only that user (and root) may enter.
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            return server;
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR,
                    ErrorDomain.QEMU,
                    "cannot listen for " + what + " at " + socket + ": " + e.getMessage(),
                    e);
        }
    }
}
