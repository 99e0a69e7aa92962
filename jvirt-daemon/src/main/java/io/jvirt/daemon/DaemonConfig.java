package io.jvirt.daemon;

import io.jvirt.rpc.tls.TlsContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything jvirtd needs to start, from a libvirtd.conf-shaped file and the command line (see
 * {@link DaemonConfigLoader}). {@code driverSettings} are jvirt.conf lines (key to raw value text, quoted as in
 * the conf syntax) that the daemon merges into the driver root's {@code etc/jvirt.conf} before opening it.
 *
 * @param root               the driver root ({@code qemu:///embed?root=DIR})
 * @param rwSocket           read-write unix socket
 * @param roSocket           read-only unix socket
 * @param rwPerms            mode of the read-write socket, e.g. 0700
 * @param roPerms            mode of the read-only socket, e.g. 0777
 * @param tcp                the TCP listen address, when TCP is on (auth none)
 * @param keepaliveInterval  seconds of silence before the daemon PINGs a client; -1 never
 * @param keepaliveCount     unanswered PINGs after which a client is dropped
 * @param maxClients         connections served at once; more are closed on accept
 * @param maxClientRequests  calls of one client running at once; the daemon stops reading that client beyond it
 * @param migrationV2Only    interop/testing switch: the daemon poses as a libvirtd without migration v3, neither
 *                           announcing MIGRATION_V3 and MIGRATION_PARAMS nor serving the v3 procedures, so that
 *                           sources (jvirtd or libvirtd) fall back to v2 towards it
 * @param tls                the qemu+tls listener, when TLS is on ({@code listen_tls})
 */
public record DaemonConfig(
        Path root,
        Path rwSocket,
        Path roSocket,
        int rwPerms,
        int roPerms,
        Optional<TcpListen> tcp,
        int keepaliveInterval,
        int keepaliveCount,
        int maxClients,
        int maxClientRequests,
        Map<String, String> driverSettings,
        boolean migrationV2Only,
        Optional<TlsListen> tls) {

    public static final Path DEFAULT_ROOT = Path.of("/var/lib/jvirt");
    public static final Path DEFAULT_SOCKET_DIR = Path.of("/run/jvirt");
    public static final String RW_SOCKET_NAME = "jvirt-sock";
    public static final String RO_SOCKET_NAME = "jvirt-sock-ro";
    /**
     * libvirtd's socket directory and names, for a jvirtd that serves as the host's libvirt daemon
     * ({@code libvirt_sockets = 1}): what {@code virsh -c qemu:///system} and the far end of {@code qemu+ssh://}
     * ({@code nc -U /var/run/libvirt/libvirt-sock}, or virt-ssh-helper) connect to.
     */
    public static final Path LIBVIRT_SOCKET_DIR = Path.of("/run/libvirt");

    public static final String LIBVIRT_RW_SOCKET_NAME = "libvirt-sock";
    public static final String LIBVIRT_RO_SOCKET_NAME = "libvirt-sock-ro";

    public DaemonConfig {
        if (maxClients < 1 || maxClientRequests < 1) {
            throw new IllegalArgumentException("max_clients and max_client_requests must be at least 1");
        }
        if (keepaliveCount < 0) {
            throw new IllegalArgumentException("keepalive_count must not be negative");
        }
        driverSettings = Map.copyOf(driverSettings);
    }

    /** A config that serves every migration protocol (the switch off). */
    public DaemonConfig(
            Path root,
            Path rwSocket,
            Path roSocket,
            int rwPerms,
            int roPerms,
            Optional<TcpListen> tcp,
            int keepaliveInterval,
            int keepaliveCount,
            int maxClients,
            int maxClientRequests,
            Map<String, String> driverSettings) {
        this(
                root,
                rwSocket,
                roSocket,
                rwPerms,
                roPerms,
                tcp,
                keepaliveInterval,
                keepaliveCount,
                maxClients,
                maxClientRequests,
                driverSettings,
                false,
                Optional.empty());
    }

    /** A TCP listener; auth none, so only for tests and trusted networks. */
    public record TcpListen(String address, int port) {
        public TcpListen {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " out of range");
            }
        }
    }

    /**
     * A TLS listener ({@code qemu+tls://}): libvirt's handshake, client certificate check and confirmation byte, then
     * the protocol as on TCP.
     */
    public record TlsListen(String address, int port, TlsContext.Settings settings) {
        /** libvirtd's {@code tls_port}. */
        public static final int DEFAULT_PORT = 16514;

        public TlsListen {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " out of range");
            }
        }
    }

    /** This config with a TLS listener. */
    public DaemonConfig withTls(TlsListen listen) {
        return new DaemonConfig(
                root,
                rwSocket,
                roSocket,
                rwPerms,
                roPerms,
                tcp,
                keepaliveInterval,
                keepaliveCount,
                maxClients,
                maxClientRequests,
                driverSettings,
                migrationV2Only,
                Optional.of(listen));
    }

    /** A config for a daemon on {@code root} whose sockets live in {@code socketDir}, no TCP, libvirt's defaults. */
    public static DaemonConfig forRoot(Path root, Path socketDir) {
        return new DaemonConfig(
                root,
                socketDir.resolve(RW_SOCKET_NAME),
                socketDir.resolve(RO_SOCKET_NAME),
                0700,
                0777,
                Optional.empty(),
                5,
                5,
                128,
                5,
                Map.of());
    }

    public DaemonConfig withTcp(TcpListen listen) {
        return new DaemonConfig(
                root,
                rwSocket,
                roSocket,
                rwPerms,
                roPerms,
                Optional.of(listen),
                keepaliveInterval,
                keepaliveCount,
                maxClients,
                maxClientRequests,
                driverSettings,
                migrationV2Only,
                tls);
    }

    public DaemonConfig withKeepalive(int interval, int count) {
        return new DaemonConfig(
                root,
                rwSocket,
                roSocket,
                rwPerms,
                roPerms,
                tcp,
                interval,
                count,
                maxClients,
                maxClientRequests,
                driverSettings,
                migrationV2Only,
                tls);
    }

    public DaemonConfig withLimits(int clients, int clientRequests) {
        return new DaemonConfig(
                root,
                rwSocket,
                roSocket,
                rwPerms,
                roPerms,
                tcp,
                keepaliveInterval,
                keepaliveCount,
                clients,
                clientRequests,
                driverSettings,
                migrationV2Only,
                tls);
    }

    /** This config with the interop/testing switch {@code interop_migration_v2_only} set as given. */
    public DaemonConfig withMigrationV2Only(boolean v2Only) {
        return new DaemonConfig(
                root,
                rwSocket,
                roSocket,
                rwPerms,
                roPerms,
                tcp,
                keepaliveInterval,
                keepaliveCount,
                maxClients,
                maxClientRequests,
                driverSettings,
                v2Only,
                tls);
    }

    public DaemonConfig withDriverSettings(Map<String, String> settings) {
        return new DaemonConfig(
                root,
                rwSocket,
                roSocket,
                rwPerms,
                roPerms,
                tcp,
                keepaliveInterval,
                keepaliveCount,
                maxClients,
                maxClientRequests,
                settings,
                migrationV2Only,
                tls);
    }
}
