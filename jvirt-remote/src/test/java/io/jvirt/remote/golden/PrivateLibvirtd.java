package io.jvirt.remote.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A libvirtd of our own (libvirt 11.3 from Debian), started as root in the foreground with a config in a temp
 * directory: its sockets and pid file live there, TCP and TLS listeners are off, and the system's daemon (if one
 * runs) is left alone. Server keepalive every second so a capture sees a PING quickly. Outside CI only.
 */
@SuppressWarnings("try") // close() waits for libvirtd to end, so it may be interrupted
public final class PrivateLibvirtd implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/libvirtd");

    private final Path dir;
    private final Process process;

    private PrivateLibvirtd(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    public static PrivateLibvirtd start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path conf = dir.resolve("libvirtd.conf");
        Files.writeString(conf, """
                unix_sock_dir = "%1$s"
                unix_sock_rw_perms = "0700"
                auth_unix_rw = "none"
                auth_unix_ro = "none"
                listen_tcp = 0
                listen_tls = 0
                keepalive_interval = 1
                keepalive_count = 5
                log_outputs = "3:file:%1$s/libvirtd.log"
                """.formatted(dir));
        Process p = new ProcessBuilder(
                        BINARY.toString(),
                        "--config",
                        conf.toString(),
                        "--pid-file",
                        dir.resolve("libvirtd.pid").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("libvirtd.out").toFile())
                .start();
        PrivateLibvirtd d = new PrivateLibvirtd(dir, p);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(d.socket())) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                d.close();
                throw new IOException("libvirtd did not create " + d.socket() + "; see " + dir.resolve("libvirtd.out"));
            }
            p.waitFor(100, TimeUnit.MILLISECONDS);
        }
        return d;
    }

    /** The read-write socket. */
    public Path socket() {
        return dir.resolve("libvirt-sock");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
