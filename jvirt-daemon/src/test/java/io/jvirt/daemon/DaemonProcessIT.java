package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.StateReason;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * jvirtd as its own process ({@link DaemonMain}): readiness on stdout and in NOTIFY_FILE, the TCP listener (on a
 * port the OS picks), and SIGTERM, after which the guest keeps running in the same QEMU, whole, and the next daemon
 * on the root finds it again.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DaemonProcessIT {
    private static final Pattern TCP = Pattern.compile("tcp://127\\.0\\.0\\.1:(\\d+)");

    private TwoDaemons hosts;
    private Path root;

    @BeforeEach
    void makeRoot() throws Exception {
        hosts = TwoDaemons.none("jvirtd-proc-");
        root = hosts.root("A");
    }

    @AfterEach
    void cleanUp() throws Exception {
        hosts.close();
    }

    /** Starts jvirtd on the root, listening on TCP too, and returns once it printed its readiness line. */
    private Process startDaemon(Path notify) throws Exception {
        return hosts.startProcess("A", true, Map.of("NOTIFY_FILE", notify.toString()), "--listen", "tcp://127.0.0.1:0");
    }

    @Test
    void readySigtermAndTheNextDaemonFindsTheGuest() throws Exception {
        Path notify = hosts.base.resolve("ready-1");
        Process first = startDaemon(notify);
        String ready = Files.readString(notify);
        assertThat(ready).contains("READY=1", "HOST_UUID=", "unix:" + root.resolve("run/jvirt-sock"));
        Matcher port = TCP.matcher(ready);
        assertThat(port.find()).isTrue();

        Virsh.Result overTcp = runVirsh("qemu+tcp://127.0.0.1:" + port.group(1) + "/system", "list", "--all");
        assertThat(overTcp.exit()).as(overTcp.err()).isZero();
        assertThat(overTcp.out()).contains("Id", "Name", "State");

        VirshHost host = hosts.processHost("A");
        Virsh virsh = host.virsh();
        Path xml = hosts.base.resolve("g1.xml");
        Path serial = hosts.base.resolve("g1.serial.log");
        Files.writeString(
                xml, TwoDaemons.guestXml("g1", serial, g -> g.memoryMiB(256).fillMiB(64)));
        long t0 = System.nanoTime();
        assertThat(virsh.run("create", xml.toString()).out()).contains("Domain 'g1' created from " + xml);
        SerialLog log = new SerialLog(serial);
        log.awaitReady(Duration.ofSeconds(120));
        log.awaitTickAfter(0, Duration.ofSeconds(60));
        System.out.printf("[it] boot g1: %.2f s%n", (System.nanoTime() - t0) / 1e9);
        GuestIntegrity whole = GuestIntegrity.before(log, "g1", host.guest());

        first.destroy(); // SIGTERM
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // The JVM's status after SIGTERM (128 + 15), once the shutdown hook ran; the socket files show that it did.
        assertThat(first.exitValue()).isEqualTo(143);
        assertThat(root.resolve("run/jvirt-sock")).doesNotExist();
        assertThat(ProcessHandle.of(whole.beforePid()).map(ProcessHandle::isAlive))
                .contains(true);

        startDaemon(hosts.base.resolve("ready-2"));
        hosts.processHost("A"); // reconnects: the host's look-ups go to the new daemon
        assertThat(virsh.run("domstate", "--reason", "g1").out().strip()).isEqualTo("running (booted)");
        whole.assertStayed(StateReason.RUNNING_BOOTED);
        hosts.assertNothingStray();

        assertThat(virsh.run("destroy", "g1").out()).contains("Domain 'g1' destroyed");
        assertThat(virsh.run("list", "--all").out()).doesNotContain("g1");
        hosts.assertNothingStray();
    }

    private static Virsh.Result runVirsh(String uri, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Virsh.BINARY.toString(), "-c", uri));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
        return new Virsh.Result(
                p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
