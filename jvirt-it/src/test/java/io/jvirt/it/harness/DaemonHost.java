package io.jvirt.it.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One jvirtd "host" run as its own process ({@code java -jar jvirt.jar daemon --root DIR --config FILE}, inside
 * {@code ip netns exec NS} when the host has a namespace). Starting returns once the daemon printed
 * {@code jvirtd ready}; its output goes to {@code ROOT/daemon.log} through one platform thread per daemon.
 * {@link #close()} stops it by the pid it started (SIGTERM, then SIGKILL after 20 s), ends the QEMUs it left
 * (by the pids in its status files) and deletes its root. Not thread-safe: one test thread drives it.
 */
public final class DaemonHost implements AutoCloseable {
    private final HostSpec spec;
    private final HostOptions options;
    private final Process process;
    private boolean closed;

    private DaemonHost(HostSpec spec, HostOptions options, Process process) {
        this.spec = spec;
        this.options = options;
        this.process = process;
    }

    /** Writes the config and starts the daemon; waits for its ready line, or fails with its last output. */
    static DaemonHost start(HostSpec spec, HostOptions options) throws IOException {
        Files.createDirectories(spec.root());
        Path conf = spec.root().resolve("jvirtd.conf");
        Files.writeString(conf, spec.config(options));
        if (!options.driverConfig().isEmpty()) {
            Path driverConf = spec.root().resolve("etc/jvirt.conf");
            Files.createDirectories(driverConf.getParent());
            Files.writeString(driverConf, spec.driverConfig(options));
        }
        List<String> cmd = new ArrayList<>();
        spec.namespace().ifPresent(ns -> cmd.addAll(List.of("ip", "netns", "exec", ns)));
        // ip netns exec execs its command, so the pid we hold is the JVM's own.
        cmd.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                options.jar().toString(),
                "daemon",
                "--root",
                spec.root().toString(),
                "--config",
                conf.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        DaemonHost host = new DaemonHost(spec, options, p);
        CompletableFuture<Void> ready = host.pumpOutput();
        try {
            ready.get(options.readyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            host.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException(
                    "jvirtd " + spec.name() + " not ready: " + e.getMessage() + "; see "
                            + spec.root().resolve("daemon.log"),
                    e);
        }
        return host;
    }

    /** Copies the daemon's output to its log; completes when "jvirtd ready" appears, fails if it exits first. */
    private CompletableFuture<Void> pumpOutput() throws IOException {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Writer log = Files.newBufferedWriter(spec.root().resolve("daemon.log"), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("jvirtd-" + spec.name() + "-out").start(() -> {
            List<String> tail = new ArrayList<>();
            try (log;
                    BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    log.write(line + "\n");
                    log.flush();
                    tail.add(line);
                    if (tail.size() > 20) {
                        tail.removeFirst();
                    }
                    if (line.contains("jvirtd ready")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IOException("jvirtd exited before it was ready: " + tail));
        });
        return ready;
    }

    public String name() {
        return spec.name();
    }

    public Path root() {
        return spec.root();
    }

    public UUID hostUuid() {
        return spec.hostUuid();
    }

    /** The address this host listens and takes migrations on (127.0.0.1, or its veth address). */
    public String address() {
        return spec.address();
    }

    public int tcpPort() {
        return spec.tcpPort();
    }

    /** The network namespace it runs in; empty in loopback mode. */
    public Optional<String> namespace() {
        return spec.namespace();
    }

    public Path rwSocket() {
        return spec.root().resolve("run/jvirt-sock");
    }

    /**
     * {@code qemu+unix:///system?socket=…}: reachable from any namespace of this machine (a socket path is not
     * bound to a network namespace).
     */
    public String unixUri() {
        return "qemu+unix:///system?socket=" + rwSocket();
    }

    /**
     * {@code qemu+tcp://ADDR:PORT/system}: in netns mode reachable only from the two namespaces (this is the URI a
     * source daemon dials for p2p).
     */
    public String tcpUri() {
        return "qemu+tcp://" + spec.address() + ":" + spec.tcpPort() + "/system";
    }

    /**
     * {@code qemu+tls://ADDR:PORT/system?pkipath=DIR} when the host was started with {@link HostOptions#withTls}: the
     * directory holds the client certificate a source daemon (or virsh) presents.
     */
    public Optional<String> tlsUri() {
        return options.tlsPki()
                .map(pki -> "qemu+tls://" + spec.address() + ":" + spec.tlsPort() + "/system?pkipath=" + pki);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The daemon's resident memory in KiB (VmRSS from /proc/PID/status). */
    public long residentKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for jvirtd " + pid());
    }

    /** The pids of QEMUs this host runs (from its status files). */
    public List<Long> qemuPids() throws IOException {
        return QemuLeftovers.alive(spec.root());
    }

    /** SIGTERM to the daemon (its guests keep running, as jvirtd promises), SIGKILL if it is not gone in 20 s. */
    public void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the daemon, ends its QEMUs, deletes its root. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        QemuLeftovers.kill(spec.root());
        QemuLeftovers.deleteTree(spec.root());
    }
}
