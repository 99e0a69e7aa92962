package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.Connections;
import io.jvirt.api.DomainRef;
import io.jvirt.guest.GuestBuilder;
import io.jvirt.guest.GuestXml;
import io.jvirt.guest.HostDirs;
import io.jvirt.guest.SerialLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The daemon ITs' fixture: a temporary base directory with a root per host ({@code base/a}, {@code base/b}), a jvirtd
 * on each (in this JVM, or as its own process where a test must kill or restart it), booting the test guest, proving
 * that nothing of jvirt's was left behind after a successful operation ({@link #assertNothingStray}), and the
 * clean-up, which reaps whatever a failed test left.
 */
final class TwoDaemons implements AutoCloseable {
    /** The guest's share of each time slice spent checking its memory: the most it allows, so checks end soon. */
    static final int SWEEP_PERCENT = 90;
    /** The guest's own default share, for guests whose point is to dirty memory as fast as they are told. */
    static final int DEFAULT_SWEEP_PERCENT = 25;

    private static final Pattern PID = Pattern.compile("pid='(\\d+)'");

    final Path base;
    private final List<Daemon> daemons = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();
    private final List<VirshHost> hosts = new ArrayList<>();
    private final Map<String, AtomicReference<Connection>> remotes = new HashMap<>();

    private TwoDaemons(Path base) {
        this.base = base;
    }

    /** An empty fixture: a base directory and no daemon yet. */
    static TwoDaemons none(String prefix) throws IOException {
        return new TwoDaemons(HostDirs.temp(prefix));
    }

    /** jvirtd on {@code base/a} (A) and {@code base/b} (B) in this JVM, with default settings. */
    static TwoDaemons start(String prefix) throws IOException {
        return start(prefix, TwoDaemons::config, TwoDaemons::config);
    }

    /** As {@link #start(String)}, each daemon's settings made from its root. */
    static TwoDaemons start(String prefix, Function<Path, DaemonConfig> a, Function<Path, DaemonConfig> b)
            throws IOException {
        TwoDaemons d = none(prefix);
        try {
            d.startInJvm("A", a);
            d.startInJvm("B", b);
            return d;
        } catch (RuntimeException | Error e) {
            d.close();
            throw e;
        }
    }

    /** The default settings for a root: sockets in {@code root/run}. */
    static DaemonConfig config(Path root) {
        return DaemonConfig.forRoot(root, root.resolve("run"));
    }

    /** The root of the host labelled {@code label}: {@code base/a} for "A". */
    Path root(String label) {
        return base.resolve(label.toLowerCase(java.util.Locale.ROOT));
    }

    /** Starts jvirtd on {@link #root(String)} in this JVM. */
    VirshHost startInJvm(String label, Function<Path, DaemonConfig> config) {
        Path root = root(label);
        Daemon daemon = Daemon.start(config.apply(root));
        daemons.add(daemon);
        VirshHost host = VirshHost.of(label, daemon, root);
        hosts.add(host);
        return host;
    }

    /** Host A (on {@code base/a}), once started. */
    VirshHost a() {
        return host("A");
    }

    /** Host B (on {@code base/b}), once started. */
    VirshHost b() {
        return host("B");
    }

    /** The host labelled {@code label}, the latest started by that label. */
    VirshHost host(String label) {
        return hosts.reversed().stream()
                .filter(h -> h.label().equals(label))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no host " + label + " started in " + base));
    }

    /** The daemon in this JVM that serves {@code host}. */
    Daemon daemon(VirshHost host) {
        return daemons.stream()
                .filter(d -> d.rwSocket().equals(host.socket()))
                .findFirst()
                .orElseThrow();
    }

    /**
     * Starts jvirtd on {@link #root(String)} as its own process (so a test can kill or restart it), its stderr in
     * {@code root/daemon.err}, and returns once it printed its readiness line.
     *
     * @param splicing without it the JVM hides socket descriptors, so tunnels copy rather than splice
     * @param env      extra environment
     * @param args     extra arguments after {@code --root}
     */
    Process startProcess(String label, boolean splicing, Map<String, String> env, String... args) throws IOException {
        Path root = root(label);
        Files.createDirectories(root);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED"));
        if (splicing) {
            cmd.add("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED");
        }
        cmd.addAll(List.of(
                "-cp", System.getProperty("java.class.path"), DaemonMain.class.getName(), "--root", root.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectError(
                ProcessBuilder.Redirect.appendTo(root.resolve("daemon.err").toFile()));
        Process p = pb.start();
        processes.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("first stdout line of jvirtd on " + root).isEqualTo(DaemonMain.READY_LINE);
        return p;
    }

    /**
     * The host a daemon process on {@link #root(String)} serves, with a remote connection for look-ups. Called again
     * for the same label (a daemon restarted on that root), it reconnects, and every host it returned for that label
     * looks up through the new connection.
     */
    VirshHost processHost(String label) {
        Path root = root(label);
        Path socket = root.resolve("run/jvirt-sock");
        Connection c = Connections.open("qemu+unix:///system?socket=" + socket);
        connections.add(c);
        AtomicReference<Connection> current = remotes.get(label);
        if (current != null) {
            current.set(c);
            return host(label);
        }
        current = new AtomicReference<>(c);
        remotes.put(label, current);
        VirshHost host = new VirshHost(label, root, socket, following(current));
        hosts.add(host);
        return host;
    }

    /** A connection that calls whichever connection {@code current} holds at the time. */
    private static Connection following(AtomicReference<Connection> current) {
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    try {
                        return method.invoke(current.get(), args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * Defines {@code name} on {@code on} from the test guest's XML ({@code shape} sets its size and rate; the
     * serial log goes to {@code base/name.serial.log}), starts it, and returns its log once it filled its memory
     * and ticked.
     */
    SerialLog boot(VirshHost on, String name, UnaryOperator<GuestXml> shape) throws Exception {
        return boot(on, name, SWEEP_PERCENT, shape);
    }

    /** As {@link #boot(VirshHost, String, UnaryOperator)}, the guest checking its memory {@code sweepPercent} of the time. */
    SerialLog boot(VirshHost on, String name, int sweepPercent, UnaryOperator<GuestXml> shape) throws Exception {
        return GuestBoot.boot(on.virsh(), base, name, serial -> guestXml(name, serial, sweepPercent, shape));
    }

    /** The test guest's XML: {@code shape} applied, the serial log at {@code serial}, checking at full share. */
    static String guestXml(String name, Path serial, UnaryOperator<GuestXml> shape) {
        return guestXml(name, serial, SWEEP_PERCENT, shape);
    }

    /** As {@link #guestXml(String, Path, UnaryOperator)}, checking {@code sweepPercent} of the time. */
    static String guestXml(String name, Path serial, int sweepPercent, UnaryOperator<GuestXml> shape) {
        return shape.apply(GuestXml.named(name))
                .serialFile(serial)
                .image(GuestBuilder.ensureBuilt())
                .sweepPercent(sweepPercent)
                .toXml();
    }

    /**
     * After a successful operation: on every host, each QEMU running under its root is the one a running domain's
     * status names, each file in {@code run/qemu} belongs to a running domain (its status and QMP socket, nothing
     * else: no tunnel socket), no {@code jvirt-tunnel-} thread runs in this JVM, and the daemons in this JVM hold one
     * QMP reader thread per running domain. Waits a while for things that end asynchronously, then fails naming
     * what stayed.
     */
    void assertNothingStray() {
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    List<String> stray = new ArrayList<>();
                    // A QMP reader thread per running domain of a daemon in this JVM, and no more.
                    Map<String, Integer> monitors = new HashMap<>();
                    for (VirshHost h : hosts) {
                        stray.addAll(strays(h));
                        if (inJvm(h)) {
                            for (DomainRef d : h.connection().listAllDomains(0)) {
                                if (d.isActive()) {
                                    monitors.merge("qmp-reader[" + d.name() + "]", 1, Integer::sum);
                                }
                            }
                        }
                    }
                    Map<String, Integer> readers = new HashMap<>();
                    for (Thread t : Thread.getAllStackTraces().keySet()) {
                        String n = t.getName();
                        if (n.startsWith("jvirt-tunnel-")) {
                            stray.add("thread " + n);
                        } else if (n.startsWith("qmp-reader[")) {
                            readers.merge(n, 1, Integer::sum);
                        }
                    }
                    readers.forEach((n, count) -> {
                        if (count > monitors.getOrDefault(n, 0)) {
                            stray.add(count + " threads " + n + " for " + monitors.getOrDefault(n, 0)
                                    + " running domain(s)");
                        }
                    });
                    assertThat(stray)
                            .as("left behind by jvirt after a successful operation")
                            .isEmpty();
                });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (ms > 1000) {
            System.out.printf("[it] nothing stray, after waiting %d ms%n", ms);
        }
    }

    private boolean inJvm(VirshHost h) {
        return daemons.stream().anyMatch(d -> d.rwSocket().equals(h.socket()));
    }

    private static List<String> strays(VirshHost h) throws IOException {
        Set<String> active;
        try {
            active = h.connection().listAllDomains(0).stream()
                    .filter(DomainRef::isActive)
                    .map(DomainRef::name)
                    .collect(Collectors.toSet());
        } catch (RuntimeException e) {
            return List.of(); // that daemon is gone (killed by the test): its root is checked by nothing here
        }
        List<String> stray = new ArrayList<>();
        Map<Long, String> owned = new HashMap<>();
        Path run = h.root().resolve("run/qemu");
        if (Files.isDirectory(run)) {
            try (Stream<Path> files = Files.list(run)) {
                for (Path f : files.sorted().toList()) {
                    String file = f.getFileName().toString();
                    int dot = file.lastIndexOf('.');
                    String domain = dot < 0 ? file : file.substring(0, dot);
                    String kind = dot < 0 ? "" : file.substring(dot);
                    // A running domain has its status file, its list of labelled files and its private directory.
                    if (!active.contains(domain) || !(kind.equals(".xml") || kind.equals(".dac") || kind.isEmpty())) {
                        stray.add(h.label() + ": " + f);
                    } else if (kind.equals(".xml")) {
                        try {
                            Matcher m = PID.matcher(Files.readString(f));
                            if (m.find()) {
                                owned.put(Long.parseLong(m.group(1)), domain);
                            }
                        } catch (java.nio.file.NoSuchFileException e) {
                            stray.add(h.label() + ": " + f + " vanished while read");
                        }
                    }
                }
            }
        }
        String under = h.root() + "/";
        ProcessHandle.allProcesses().forEach(p -> {
            String cmd = p.info().commandLine().orElse("");
            if (cmd.contains("qemu-system") && cmd.contains(under) && !owned.containsKey(p.pid())) {
                stray.add(h.label() + ": QEMU pid " + p.pid() + " that no running domain names");
            }
        });
        return stray;
    }

    /**
     * Ends everything (for a failed test as well): destroys the guests of the daemons in this JVM, closes them and
     * the remote connections, ends the daemon processes, kills any QEMU still recorded under a root, and deletes
     * {@code base}.
     */
    @Override
    public void close() throws IOException {
        connections.forEach(TwoDaemons::closeLogging);
        for (Process p : processes) {
            p.destroyForcibly();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Daemon d : daemons) {
            try {
                for (DomainRef dom : d.driver().listAllDomains(0)) {
                    if (dom.isActive()) {
                        d.driver().destroy(dom, 0);
                    }
                }
            } catch (RuntimeException e) {
                System.out.println("[it] clean-up: " + e);
            }
            closeLogging(d);
        }
        try (Stream<Path> roots = Files.list(base)) {
            for (Path root : roots.filter(Files::isDirectory).toList()) {
                String under = root + "/";
                ProcessHandle.allProcesses()
                        .filter(p -> p.info()
                                .commandLine()
                                .map(c -> c.contains("qemu-system") && c.contains(under))
                                .orElse(false))
                        .forEach(p -> System.out.println("[it] clean-up: QEMU pid " + p.pid() + " still runs under "
                                + root + " after its daemon's guests were destroyed; reaping it"));
                QemuReaper.killLeftovers(root);
            }
        }
        QemuReaper.deleteTree(base);
    }

    /** Closes {@code c}, printing rather than throwing what closing threw: clean-up goes on. */
    static void closeLogging(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            System.out.println("[it] clean-up: closing " + c + ": " + e);
        }
    }

    /** A short description for {@code [it]} lines. */
    @Override
    public String toString() {
        return "TwoDaemons" + hosts.stream().map(VirshHost::toString).toList() + " in " + base;
    }
}
