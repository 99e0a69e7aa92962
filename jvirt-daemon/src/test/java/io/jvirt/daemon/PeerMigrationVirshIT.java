package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.guest.GuestBuilder;
import io.jvirt.guest.GuestTick;
import io.jvirt.guest.GuestXml;
import io.jvirt.guest.SerialLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code virsh migrate --p2p} and {@code --p2p --tunnelled} between two jvirtds on this machine: the source daemon
 * opens its own connection to the destination and runs every phase; tunnelled, the guest's memory travels inside
 * that connection's stream. Checks the ticking guest after each hop, the job control on the source while a
 * tunnelled migration runs, and a destination daemon killed mid-transfer.
 */
class PeerMigrationVirshIT {

    private Path base;
    private Daemon source;
    private Daemon destination;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void startSource() throws IOException {
        base = Files.createTempDirectory("jvirtd-p2p-");
        source = Daemon.start(DaemonConfig.forRoot(base.resolve("a"), base.resolve("a/run")));
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        QemuReaper.stopDaemons(base, source, destination);
    }

    private String uriOf(Path socket) {
        return "qemu+unix:///system?socket=" + socket;
    }

    private SerialLog startGuest(Virsh a, String name, int memoryMiB, int fillMiB) throws Exception {
        return GuestBoot.boot(a, base, name, serial -> GuestXml.named(name).memoryMiB(memoryMiB).fillMiB(fillMiB)
                .dirtyMibps(50).serialFile(serial).image(GuestBuilder.ensureBuilt()).toXml());
    }

    @Test
    void nativeAndTunnelledThereAndBack() throws Exception {
        destination = Daemon.start(DaemonConfig.forRoot(base.resolve("b"), base.resolve("b/run")));
        assertThat(source.hostUuid()).isNotEqualTo(destination.hostUuid());
        Virsh a = Virsh.on(source.rwSocket());
        Virsh b = Virsh.on(destination.rwSocket());
        String aUri = uriOf(source.rwSocket());
        String bUri = uriOf(destination.rwSocket());
        SerialLog log = startGuest(a, "g1", 512, 384);

        PeerHop.hop("p2p native A->B", a, b, bUri, "g1", log);
        PeerHop.hop("p2p native B->A", b, a, aUri, "g1", log);
        PeerHop.hop("p2p tunnelled A->B", a, b, bUri, "g1", log, "--tunnelled");
        PeerHop.hop("p2p tunnelled B->A", b, a, aUri, "g1", log, "--tunnelled");
        awaitNoTunnelThreads();
    }

    @Test
    void tunnelledAbortLeavesTheGuestOnTheSource() throws Exception {
        destination = Daemon.start(DaemonConfig.forRoot(base.resolve("b"), base.resolve("b/run")));
        Virsh a = Virsh.on(source.rwSocket());
        Virsh b = Virsh.on(destination.rwSocket());
        SerialLog log = startGuest(a, "g2", 512, 384);
        long pipesBefore = openPipes();
        Process migrate = a.command("migrate", "--live", "--p2p", "--tunnelled", "--bandwidth", "16", "g2",
                uriOf(destination.rwSocket())).redirectErrorStream(true).start();
        processes.add(migrate);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(JobInfo.processedMiB(a.run("domjobinfo", "g2").out())).isGreaterThan(8));
        String during = a.run("domjobinfo", "g2").out();
        System.out.println("[it] domjobinfo during tunnelled migration:\n" + during);
        assertThat(during).containsPattern("Job type:\\s+Unbounded");
        assertThat(b.run("list", "--all").out()).contains("g2");

        assertThat(a.run("domjobabort", "g2").exit()).isZero();
        assertThat(migrate.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(migrate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(migrate.exitValue()).as(out).isNotZero();
        assertThat(out).contains("canceled by client");

        assertThat(a.run("domstate", "g2").out().strip()).isEqualTo("running");
        GuestTick last = log.latest().orElseThrow();
        log.awaitTickAfter(last.tick() + 1, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(b.run("list", "--all").out()).doesNotContain("g2");
            assertThat(base.resolve("b/run/qemu/g2.xml")).doesNotExist();
        });
        try (var files = Files.walk(base.resolve("b"))) {
            // QEMU's log stays, as libvirt's does. No status file, monitor socket or definition may stay.
            assertThat(files.filter(p -> !p.startsWith(base.resolve("b/log"))).map(Path::toString)
                    .filter(p -> p.contains("g2"))).isEmpty();
        }
        assertThat(qemuProcessesUnder(base.resolve("b"))).isEmpty();
        awaitNoTunnelThreads();
        // Both daemons live in this JVM: the tunnel's two pipes (and the destination QEMU's) must all be closed.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(openPipes()).isLessThanOrEqualTo(pipesBefore));
    }

    /** Pipe descriptors this JVM holds open. */
    private static long openPipes() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("pipe:");
                } catch (IOException e) {
                    return false; // closed while listing
                }
            }).count();
        }
    }

    @Test
    void destinationKilledMidTransfer() throws Exception {
        Path root = base.resolve("b");
        Files.createDirectories(root);
        Process dest = startDaemonProcess(root);
        Path bSocket = root.resolve("run/jvirt-sock");
        Virsh a = Virsh.on(source.rwSocket());
        SerialLog log = startGuest(a, "g3", 512, 384);
        Process migrate = a.command("migrate", "--live", "--p2p", "--bandwidth", "16", "g3",
                uriOf(bSocket) + "&keepalive_interval=1&keepalive_count=3").redirectErrorStream(true).start();
        processes.add(migrate);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(JobInfo.processedMiB(a.run("domjobinfo", "g3").out())).isGreaterThan(8));
        long killed = System.nanoTime();
        dest.destroyForcibly();
        assertThat(dest.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(migrate.waitFor(60, TimeUnit.SECONDS)).isTrue();
        double noticed = (System.nanoTime() - killed) / 1e9;
        String out = new String(migrate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.printf("[it] destination killed: migrate ended after %.2f s: %s%n", noticed, out.strip());
        assertThat(migrate.exitValue()).isNotZero();
        assertThat(noticed).isLessThan(10);
        assertThat(a.run("domstate", "g3").out().strip()).isEqualTo("running");
        GuestTick last = log.latest().orElseThrow();
        log.awaitTickAfter(last.tick() + 1, Duration.ofSeconds(30));
        assertThat(log.boots()).isEqualTo(1);
    }

    @Test
    void tunnelledBetweenASplicingDaemonAndOneThatCopies() throws Exception {
        Path root = base.resolve("b");
        Files.createDirectories(root);
        startDaemonProcess(root, false);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Files.readString(root.resolve("daemon.err"))).contains("tunnelled migration will copy"));
        Virsh a = Virsh.on(source.rwSocket());
        Path bSocket = root.resolve("run/jvirt-sock");
        Virsh b = Virsh.on(bSocket);
        SerialLog log = startGuest(a, "g4", 256, 128);

        // A splices into the stream, B copies it into QEMU's pipe; then B copies out and A splices in.
        PeerHop.hop("tunnelled, splicing source to copying destination", a, b, uriOf(bSocket), "g4", log,
                "--tunnelled");
        PeerHop.hop("tunnelled, copying source to splicing destination", b, a, uriOf(source.rwSocket()), "g4", log,
                "--tunnelled");
    }

    /** jvirtd for {@code root} as its own process (so it can be killed), listening on its unix socket only. */
    private Process startDaemonProcess(Path root) throws IOException {
        return startDaemonProcess(root, true);
    }

    /** As {@link #startDaemonProcess(Path)}; without {@code splicing} its JVM hides socket descriptors. */
    private Process startDaemonProcess(Path root, boolean splicing) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED"));
        if (splicing) {
            cmd.add("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DaemonMain.class.getName(), "--root",
                root.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(root.resolve("daemon.err").toFile());
        Process p = pb.start();
        processes.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("first stdout line of jvirtd").isEqualTo(DaemonMain.READY_LINE);
        return p;
    }

    private static List<ProcessHandle> qemuProcessesUnder(Path root) {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(c -> c.contains("qemu-system") && c.contains(root.toString()))
                        .orElse(false))
                .toList();
    }

    private static void awaitNoTunnelThreads() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet()
                .stream().map(Thread::getName).filter(n -> n.startsWith("jvirt-tunnel-"))).isEmpty());
    }
}
