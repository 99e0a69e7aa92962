package io.jvirt.daemon;

import static org.awaitility.Awaitility.await;

import io.jvirt.remote.RemoteConnection;
import io.jvirt.remote.RemoteOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Debian's libvirtd 11.3 run privately beside the test daemons: in a mount namespace of its own, where {@code dir}'s
 * etc, run, lib, cache and log directories are bind-mounted over /etc/libvirt, /run/libvirt, /var/lib/libvirt,
 * /var/cache/libvirt and /var/log/libvirt (libvirtd's QEMU driver keeps its state at those fixed paths). It listens
 * on its unix socket only ({@code dir/run/libvirt-sock}), with its own host UUID and migration ports on 127.0.0.1,
 * and runs QEMU as root with no security driver, cgroups or /dev namespace. libvirt refuses 127.0.0.1 as its
 * migration address in qemu.conf, so migrations to it name it per call ({@link #LOOPBACK_MIGRATION}). Its status files land in
 * {@code dir/run/qemu}, where {@link io.jvirt.guest.GuestHost} reads a QEMU's pid as it does on jvirtd. {@link #close}
 * destroys its domains and stops it by the pid this fixture started. Not thread-safe.
 */
final class PrivateLibvirtd implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/libvirtd");
    /** The virsh options that keep a native migration to this libvirtd on the loopback address. */
    static final String[] LOOPBACK_MIGRATION = {"--migrateuri", "tcp://127.0.0.1", "--listen-address", "127.0.0.1"};

    private static final List<String> MOUNTED = List.of("etc", "run", "lib", "cache", "log");

    private final Path dir;
    private final Process process;
    private final RemoteConnection connection;

    private PrivateLibvirtd(Path dir, Process process, RemoteConnection connection) {
        this.dir = dir;
        this.process = process;
        this.connection = connection;
    }

    /** Starts libvirtd on {@code dir} with migration ports from {@code migrationPortMin}; returns once it answers. */
    static PrivateLibvirtd start(Path dir, int migrationPortMin) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: scripts/install-prereqs installs libvirt-daemon");
        }
        for (String d : MOUNTED) {
            Files.createDirectories(dir.resolve(d));
        }
        for (String target : List.of("/run/libvirt", "/var/lib/libvirt", "/var/cache/libvirt", "/var/log/libvirt")) {
            Files.createDirectories(Path.of(target));
        }
        Files.writeString(dir.resolve("etc/libvirtd.conf"), """
                listen_tls = 0
                listen_tcp = 0
                auth_unix_rw = "none"
                auth_unix_ro = "none"
                unix_sock_rw_perms = "0700"
                host_uuid = "%s"
                keepalive_interval = 5
                keepalive_count = 5
                log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
                """.formatted(UUID.randomUUID()));
        Files.writeString(dir.resolve("etc/qemu.conf"), """
                user = "root"
                group = "root"
                dynamic_ownership = 0
                remember_owner = 0
                security_driver = "none"
                cgroup_controllers = [ ]
                namespaces = [ ]
                stdio_handler = "file"
                migration_port_min = %d
                migration_port_max = %d
                """.formatted(migrationPortMin, migrationPortMin + 63));
        String script = "d=$1; mount --bind \"$d/etc\" /etc/libvirt && mount --bind \"$d/run\" /run/libvirt"
                + " && mount --bind \"$d/lib\" /var/lib/libvirt && mount --bind \"$d/cache\" /var/cache/libvirt"
                + " && mount --bind \"$d/log\" /var/log/libvirt"
                + " && exec " + BINARY + " --config /etc/libvirt/libvirtd.conf --pid-file \"$d/libvirtd.pid\"";
        Process p = new ProcessBuilder(
                        "unshare", "-m", "--propagation", "private", "sh", "-c", script, "libvirtd", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("libvirtd.out").toFile())
                .start();
        Path socket = dir.resolve("run/libvirt-sock");
        try {
            // (its own log, dir/log/libvirtd.log, says why it stopped if it does)
            // libvirtd probes QEMU's capabilities before it opens its socket: seconds on a cold cache.
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !p.isAlive() || Files.exists(socket));
            if (!p.isAlive()) {
                throw new IllegalStateException("libvirtd did not start: "
                        + Files.readString(dir.resolve("libvirtd.out"))
                        + Files.readString(dir.resolve("log/libvirtd.log")));
            }
            RemoteConnection c = await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> RemoteConnection.open(uri(socket), RemoteOptions.DEFAULTS), conn -> conn != null);
            return new PrivateLibvirtd(dir, p, c);
        } catch (RuntimeException e) {
            stop(p);
            throw e;
        }
    }

    private static String uri(Path socket) {
        return "qemu+unix:///system?socket=" + socket;
    }

    /** The daemon as its virsh user sees it; its status files are under {@code dir/run/qemu}. */
    VirshHost host(String label) {
        return new VirshHost(label, dir, dir.resolve("run/libvirt-sock"), connection);
    }

    /** The pid of libvirtd itself (unshare executed it). */
    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws IOException {
        try {
            Virsh virsh = Virsh.on(dir.resolve("run/libvirt-sock"));
            for (String name :
                    virsh.run("list", "--name").out().lines().map(String::strip).toList()) {
                if (!name.isEmpty()) {
                    virsh.run("destroy", name);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connection.close();
            stop(process);
        }
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
