package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.guest.HostDirs;
import io.jvirt.nativeio.UnixDatagram;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * jvirtd socket-activated as systemd does it: {@code systemd-socket-activate} binds the read-write and the read-only
 * socket, starts jvirtd when the first client connects and hands both over as fds 3 and 4 (LISTEN_FDS, named as the
 * socket units name them). That first virsh, queued before any JVM ran, is answered; so are later ones on both
 * sockets, the read-only one refusing a change; jvirtd binds nothing itself, tells the manager READY=1 and, on
 * SIGTERM, STOPPING=1 (sd_notify, to a stand-in NOTIFY_SOCKET), and after it the sockets stay with their owner.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SocketActivationIT {
    private static final Path ACTIVATE = Path.of("/usr/bin/systemd-socket-activate");

    @Test
    void theFirstClientStartsJvirtdOnTheSocketsItIsHanded() throws Exception {
        Path base = HostDirs.temp("jvirtd-activation-");
        Process daemon = null;
        Path notify = base.resolve("notify");
        try (UnixDatagram manager = UnixDatagram.bind(notify)) {
            Path rw = base.resolve("sock/rw");
            Path ro = base.resolve("sock/ro");
            Files.createDirectories(rw.getParent());
            Path root = base.resolve("root");
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> cmd = new ArrayList<>(List.of(
                    ACTIVATE.toString(),
                    "-l",
                    rw.toString(),
                    "-l",
                    ro.toString(),
                    "--fdname=jvirtd-rw:jvirtd-ro",
                    "-E",
                    "NOTIFY_SOCKET=" + notify,
                    java.toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    DaemonMain.class.getName(),
                    "--root",
                    root.toString()));
            daemon = new ProcessBuilder(cmd)
                    .redirectOutput(base.resolve("daemon.out").toFile())
                    .redirectError(base.resolve("daemon.err").toFile())
                    .start();
            Process started = daemon;
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(ro) || !started.isAlive());
            assertThat(daemon.isAlive())
                    .as(Files.readString(base.resolve("daemon.err")))
                    .isTrue();

            long t0 = System.nanoTime();
            Virsh.Result first = Virsh.uri("qemu:///system?socket=" + rw, false).run("hostname");
            System.out.printf("[it] first virsh, JVM start included: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(first.exit())
                    .as(first.err() + Files.readString(base.resolve("daemon.err")))
                    .isZero();
            assertThat(first.out().strip()).isNotEmpty();
            assertThat(Files.readString(base.resolve("daemon.out"))).startsWith(DaemonMain.READY_LINE);
            assertThat(root.resolve("run/jvirt-sock"))
                    .as("jvirtd bound nothing itself")
                    .doesNotExist();
            assertThat(new String(manager.receive(4096), StandardCharsets.UTF_8))
                    .as("sd_notify once ready")
                    .isEqualTo(
                            "READY=1\nSTATUS=listening on unix:fd 3 from systemd unix:fd 4 from systemd (read-only)");

            Virsh.Result list = Virsh.uri("qemu:///system?socket=" + rw, false).run("list", "--all");
            assertThat(list.exit()).as(list.err()).isZero();
            Virsh readOnly = Virsh.uri("qemu:///system?socket=" + ro, true);
            assertThat(readOnly.run("list", "--all").exit()).isZero();
            Path xml = base.resolve("x.xml");
            Files.writeString(xml, "<domain type='kvm'><name>x</name><memory>65536</memory></domain>");
            Virsh.Result refused = readOnly.run("define", xml.toString());
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.err()).contains("read only access prevents virDomainDefineXML");

            daemon.destroy();
            assertThat(new String(manager.receive(4096), StandardCharsets.UTF_8))
                    .isEqualTo("STOPPING=1");
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).isEqualTo(143);
            assertThat(rw).as("the socket stays with whoever bound it").exists();
        } finally {
            if (daemon != null) {
                daemon.destroyForcibly();
                daemon.waitFor(30, TimeUnit.SECONDS);
            }
            QemuReaper.deleteTree(base);
        }
    }
}
