package io.jvirt.it.harness;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The harness from a shell (the benchmark, the demo, a person trying things):
 * {@code java -cp jvirt-it/target/test-classes io.jvirt.it.harness.HostsMain [--netns] [--hosts N]
 * [--keepalive SECONDS COUNT] [--rate MBIT] [--jar FILE] [--tls PKIDIR] [--driver-config KEY=VALUE]...}, the last a
 * jvirt.conf line for every host's driver (the value as the file has it, strings quoted); {@code --tls} adds a
 * qemu+tls listener per host with libvirt's file names in PKIDIR (see {@link HostOptions#withTls}). Prints one line
 * per host ({@code host NAME pid=PID unix=URI tcp=URI [tls=URI] root=DIR}), then {@code hosts ready}, and keeps the hosts until its
 * stdin closes or it gets SIGTERM; then it removes everything it made. Runs on the main thread.
 */
public final class HostsMain {
    private HostsMain() {}

    public static void main(String[] args) throws Exception {
        boolean netns = false;
        int count = 2;
        HostOptions options = HostOptions.defaults();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--netns" -> netns = true;
                case "--hosts" -> count = Integer.parseInt(args[++i]);
                case "--keepalive" ->
                    options = options.withKeepalive(Integer.parseInt(args[++i]), Integer.parseInt(args[++i]));
                case "--rate" -> options = options.withRateMbit(Integer.parseInt(args[++i]));
                case "--jar" -> options = options.withJar(Path.of(args[++i]));
                case "--tls" -> options = options.withTls(Path.of(args[++i]));
                case "--driver-config" -> {
                    String line = args[++i];
                    int eq = line.indexOf('=');
                    if (eq <= 0) {
                        System.err.println("--driver-config wants KEY=VALUE, not " + line);
                        System.exit(2);
                    }
                    options = options.withDriverConfig(
                            line.substring(0, eq).strip(),
                            line.substring(eq + 1).strip());
                }
                default -> {
                    System.err.println("usage: HostsMain [--netns] [--hosts N] [--keepalive S C] [--rate MBIT]"
                            + " [--jar FILE] [--tls PKIDIR] [--driver-config KEY=VALUE]...");
                    System.exit(2);
                }
            }
        }
        HostSet set = netns ? HostSet.netns(options) : HostSet.loopback(count, options);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                set.close();
            } catch (IOException e) {
                System.err.println("[harness] " + e.getMessage());
            }
        }));
        for (DaemonHost h : set.hosts()) {
            System.out.printf(
                    "host %s pid=%d unix=%s tcp=%s%s root=%s%n",
                    h.name(),
                    h.pid(),
                    h.unixUri(),
                    h.tcpUri(),
                    h.tlsUri().map(u -> " tls=" + u).orElse(""),
                    h.root());
        }
        System.out.println("hosts ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // the caller keeps stdin open as long as it wants the hosts
        }
        System.exit(0);
    }
}
