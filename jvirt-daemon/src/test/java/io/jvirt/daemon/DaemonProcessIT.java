package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.guest.GuestBuilder;
import io.jvirt.guest.GuestXml;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * jvirtd as its own process ({@link DaemonMain}): readiness on stdout and in NOTIFY_FILE, the TCP listener, and
 * SIGTERM, after which the guest keeps running and the next daemon on the root finds it again.
 */
class DaemonProcessIT {
    private static final Pattern TCP = Pattern.compile("tcp://127\\.0\\.0\\.1:(\\d+)");

    private Path root;
    private final List<Process> daemons = new ArrayList<>();

    @BeforeEach
    void makeRoot() throws IOException {
        root = Files.createTempDirectory("jvirtd-proc-");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : daemons) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        QemuReaper.killLeftovers(root);
        QemuReaper.deleteTree(root);
    }

    /** Starts jvirtd and returns once it printed its readiness line. */
    private Process startDaemon(Path notify) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), DaemonMain.class.getName(), "--root", root.toString(),
                "--listen", "tcp://127.0.0.1:0");
        pb.environment().put("NOTIFY_FILE", notify.toString());
        pb.redirectError(root.resolve("daemon-" + daemons.size() + ".err").toFile());
        Process p = pb.start();
        daemons.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("first stdout line of jvirtd").isEqualTo(DaemonMain.READY_LINE);
        return p;
    }

    @Test
    void readySigtermAndTheNextDaemonFindsTheGuest() throws Exception {
        Path notify = root.resolve("ready-1");
        Process first = startDaemon(notify);
        String ready = Files.readString(notify);
        assertThat(ready).contains("READY=1", "HOST_UUID=", "unix:" + root.resolve("run/jvirt-sock"));
        Matcher port = TCP.matcher(ready);
        assertThat(port.find()).isTrue();

        Virsh.Result overTcp = runVirsh("qemu+tcp://127.0.0.1:" + port.group(1) + "/system", "list", "--all");
        assertThat(overTcp.exit()).as(overTcp.err()).isZero();
        assertThat(overTcp.out()).contains("Id", "Name", "State");

        Virsh virsh = Virsh.on(root.resolve("run/jvirt-sock"));
        Path xml = root.resolve("g1.xml");
        Files.writeString(xml, GuestXml.named("g1").memoryMiB(256).fillMiB(64)
                .serialFile(root.resolve("g1.serial.log")).image(GuestBuilder.ensureBuilt()).toXml());
        assertThat(virsh.run("create", xml.toString()).out()).contains("Domain 'g1' created from " + xml);
        long qemu = QemuReaper.recordedPid(root, "g1");

        first.destroy(); // SIGTERM
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // The JVM's status after SIGTERM (128 + 15), once the shutdown hook ran; the socket files show that it did.
        assertThat(first.exitValue()).isEqualTo(143);
        assertThat(root.resolve("run/jvirt-sock")).doesNotExist();
        assertThat(ProcessHandle.of(qemu).map(ProcessHandle::isAlive)).contains(true);

        startDaemon(root.resolve("ready-2"));
        assertThat(virsh.run("domstate", "g1").out().strip()).isEqualTo("running");
        assertThat(virsh.run("destroy", "g1").out()).contains("Domain 'g1' destroyed");
        assertThat(virsh.run("list", "--all").out()).doesNotContain("g1");
    }

    private static Virsh.Result runVirsh(String uri, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Virsh.BINARY.toString(), "-c", uri));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
        return new Virsh.Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }


}
