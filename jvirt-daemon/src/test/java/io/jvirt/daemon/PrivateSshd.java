package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.driver.root.ConfFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A private OpenSSH server on loopback for the {@code qemu+ssh://} tests: Debian's sshd, key authentication for root
 * only, its own host key, authorized_keys and config in {@code dir}, run in a mount namespace of its own whose /run is
 * a fresh tmpfs: sshd's privilege separation directory /run/sshd lives there, and /run/libvirt there is {@code
 * libvirtRun}, where the test's jvirtd keeps its libvirt-named sockets. So the far end of a default {@code
 * qemu+ssh://HOST/system} (netcat or virt-ssh-helper on /var/run/libvirt/libvirt-sock) reaches the test daemon, and
 * neither the host's /run nor a real libvirtd is touched.
 *
 * <p>The client side is the {@link #sshWrapper} script, given to libvirt's client and to jvirt's as the URI's
 * {@code command=}: it runs ssh with the test's own known_hosts holding the server's key (checked strictly), without
 * the user's ssh configuration, agent or keys, so nothing in ~/.ssh is read or written.
 *
 * <p>{@link #close} ends sshd and any session it still runs, by pid, and deletes {@code dir}.
 */
final class PrivateSshd implements AutoCloseable {
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final int TRIES = 3;

    private final Path dir;
    private final Process sshd;
    private final int port;

    private PrivateSshd(Path dir, Process sshd, int port) {
        this.dir = dir;
        this.sshd = sshd;
        this.port = port;
    }

    /**
     * The settings of a jvirtd on {@code root} that serves as the host's libvirt daemon ({@code libvirt_sockets = 1})
     * with its sockets in {@code libvirtRun}, the directory sshd's sessions see as /run/libvirt; read from a
     * jvirtd.conf written beside {@code libvirtRun}, as an administrator would configure it.
     */
    static DaemonConfig behindSshd(Path root, Path libvirtRun) {
        Path conf = libvirtRun.resolveSibling(libvirtRun.getFileName() + ".conf");
        try {
            Files.writeString(conf, "libvirt_sockets = 1\nunix_sock_dir = \"" + libvirtRun + "\"\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DaemonConfig config = DaemonConfigLoader.fromConf(ConfFile.load(conf), Optional.of(root));
        assertThat(config.rwSocket()).isEqualTo(libvirtRun.resolve(DaemonConfig.LIBVIRT_RW_SOCKET_NAME));
        assertThat(config.roSocket()).isEqualTo(libvirtRun.resolve(DaemonConfig.LIBVIRT_RO_SOCKET_NAME));
        return config;
    }

    /** Makes the keys and files in {@code dir} (created) and starts sshd; returns once it listens. */
    static PrivateSshd start(Path dir, Path libvirtRun) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Files.createDirectories(libvirtRun);
        keygen(dir.resolve("host_key"));
        keygen(dir.resolve("id"));
        keygen(dir.resolve("stranger"));
        Files.copy(dir.resolve("id.pub"), dir.resolve("authorized_keys"));
        Files.writeString(dir.resolve("sshd_config"), """
                ListenAddress 127.0.0.1
                HostKey %1$s/host_key
                AuthorizedKeysFile %1$s/authorized_keys
                PidFile none
                StrictModes no
                PermitRootLogin prohibit-password
                PubkeyAuthentication yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM %2$s
                PrintMotd no
                """.formatted(dir, rootLocked() ? "yes" : "no"));
        Files.writeString(dir.resolve("empty_known_hosts"), "");
        IOException last = null;
        for (int i = 0; i < TRIES; i++) {
            int port = freePort();
            Process p = launch(dir, libvirtRun, port);
            PrivateSshd server = new PrivateSshd(dir, p, port);
            try {
                server.awaitListening();
                Files.writeString(
                        dir.resolve("known_hosts"),
                        "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("host_key.pub")));
                writeWrapper(dir, "ssh", dir.resolve("known_hosts"));
                writeWrapper(dir, "ssh-unknown-host", dir.resolve("empty_known_hosts"));
                return server;
            } catch (IOException e) {
                // most likely the port was taken between our probe and sshd's bind: try another
                server.stop();
                last = e;
            }
        }
        throw last;
    }

    /** The URI of this server's host, the test's key and wrapper in place; {@code query} ("&k=v…") is appended. */
    String uri(String query) {
        return uri(key(), sshWrapper(), query);
    }

    /** As {@link #uri(String)} with another key or ssh. */
    String uri(Path keyfile, Path ssh, String query) {
        return "qemu+ssh://root@127.0.0.1:" + port + "/system?keyfile=" + keyfile + "&no_tty=1&command=" + ssh + query;
    }

    /** The key sshd accepts for root. */
    Path key() {
        return dir.resolve("id");
    }

    /** The ssh that knows this server's host key. */
    Path sshWrapper() {
        return dir.resolve("ssh");
    }

    /** An ssh whose known_hosts is empty: strict checking refuses the server. */
    Path sshWrapperNotKnowingTheHost() {
        return dir.resolve("ssh-unknown-host");
    }

    /** A key sshd does not accept. */
    Path strangerKey() {
        return dir.resolve("stranger");
    }

    int port() {
        return port;
    }

    /** sshd's log, for failure messages. */
    String log() {
        try {
            return Files.readString(dir.resolve("sshd.log"));
        } catch (IOException e) {
            return "(no sshd log: " + e + ")";
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        QemuReaper.deleteTree(dir);
    }

    /** Ends every session sshd serves (each connection's sshd child, by pid), as a dropped link would. */
    void endSessions() {
        sshd.toHandle().children().forEach(ProcessHandle::destroyForcibly);
    }

    private void stop() {
        // Sessions first (each is an sshd child serving one connection), then the listener.
        sshd.toHandle().descendants().forEach(ProcessHandle::destroy);
        sshd.destroy();
        try {
            if (!sshd.waitFor(10, TimeUnit.SECONDS)) {
                sshd.destroyForcibly();
                sshd.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sshd.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private void awaitListening() throws IOException {
        String ready = "Server listening on 127.0.0.1 port " + port + ".";
        try {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> log().contains(ready) || !sshd.isAlive());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IOException("sshd did not listen within 30 s: " + log(), e);
        }
        if (!sshd.isAlive()) {
            throw new IOException("sshd on port " + port + " exited: " + log());
        }
    }

    /**
     * sshd in a new mount namespace (unshare execs the shell, which execs sshd: the process is sshd itself) over a
     * tmpfs /run; mounts made there stay there.
     */
    private static Process launch(Path dir, Path libvirtRun, int port) throws IOException {
        String script = "mount -t tmpfs -o mode=0755 jvirt-test-run /run && mkdir -m 0755 /run/sshd /run/libvirt"
                + " && mount --bind \"$1\" /run/libvirt && exec \"$2\" -D -f \"$3\" -p \"$4\" -E \"$5\"";
        ProcessBuilder pb = new ProcessBuilder(List.of(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                script,
                "sh",
                libvirtRun.toString(),
                SSHD.toString(),
                dir.resolve("sshd_config").toString(),
                Integer.toString(port),
                dir.resolve("sshd.log").toString()));
        pb.redirectErrorStream(true);
        pb.redirectOutput(
                ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.log").toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb.start();
    }

    /**
     * Whether root's password is locked ("!" in /etc/shadow, as where root has no password of its own). Without
     * PAM, sshd refuses a locked account even for a key; with PAM the account check is PAM's, but PAM's session
     * modules can fail in containers. So PAM only when it is needed.
     */
    private static boolean rootLocked() throws IOException {
        return Files.readAllLines(Path.of("/etc/shadow")).stream()
                .filter(l -> l.startsWith("root:"))
                .anyMatch(l -> l.substring("root:".length()).startsWith("!"));
    }

    /** An ssh wrapper: the given known_hosts only, strictly; no ssh_config, agent or default keys. */
    private static void writeWrapper(Path dir, String name, Path knownHosts) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, """
                #!/bin/sh
                exec ssh -F /dev/null -o UserKnownHostsFile=%s -o GlobalKnownHostsFile=/dev/null \\
                    -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -o IdentityAgent=none "$@"
                """.formatted(knownHosts));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }

    private static void keygen(Path key) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "jvirt-test", "-f", key.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("ssh-keygen for " + key + " failed: " + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
