package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bridged and ethernet NICs on real QEMU: jvirt makes the taps itself (named by the kernel from vnet%d), gives them
 * the guest's MAC with 0xFE first, the {@code <mtu>} or the bridge's MTU, puts them on a bridge the test makes,
 * passes their fds to QEMU and keeps none; the taps go with QEMU, also when QEMU outlives the driver that started
 * it. QEMU is started but the guest is not waited for: what is checked is the host side.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
@ExtendWith(NoStrayQemu.class)
class BridgedNicIT implements NoStrayQemu.Accounted {
    private static final String GUEST = "nic1";
    private static final Pattern TARGET = Pattern.compile("<target dev='([^']+)'");
    private static final Path SYS_NET = Path.of("/sys/class/net");

    private final String suffix = Long.toString(ProcessHandle.current().pid() % 46656, 36);
    private final String bridge = "jvbr" + suffix;
    private final String ownTap = "jvtap" + suffix;
    private TestHost host;
    private Connection conn;

    @BeforeAll
    void setUp() throws Exception {
        run("ip", "link", "add", bridge, "type", "bridge");
        run("ip", "link", "set", bridge, "mtu", "1450"); // set by hand, so a new port does not change it
        run("ip", "tuntap", "add", "dev", ownTap, "mode", "tap");
        host = new TestHost("nic");
        conn = host.open();
    }

    @AfterAll
    void tearDown() throws Exception {
        try {
            if (conn != null) {
                conn.close();
            }
            host.close();
        } finally {
            runQuietly("ip", "link", "del", ownTap);
            runQuietly("ip", "link", "del", bridge);
        }
    }

    @Override
    public void assertNoStrayQemu() throws Exception {
        host.assertNoStrayQemu(conn);
    }

    private String xml(String name, String interfaces) {
        return host.guest(name).memoryMiB(128).fillMiB(16).toXml().replace("</devices>", interfaces + "</devices>");
    }

    private String bridged(String mac, String model, String extra) {
        return "<interface type='bridge'><mac address='" + mac + "'/><source bridge='" + bridge + "'/><model type='"
                + model + "'/>" + extra + "</interface>";
    }

    @Test
    @Order(10)
    void bridgedVirtioAndE1000NicsGetTapsOnTheBridge() throws Exception {
        String nics = bridged("52:54:00:5a:00:01", "virtio", "<mtu size='1400'/>")
                + bridged("52:54:00:5a:00:02", "e1000", "<link state='down'/>")
                + "<interface type='ethernet'><mac address='52:54:00:5a:00:03'/><target dev='" + ownTap
                + "' managed='no'/><model type='virtio'/></interface>";
        DomainRef ref = conn.defineXml(xml(GUEST, nics));
        long t0 = System.nanoTime();
        conn.create(ref, 0);
        System.out.printf("[it] %s with three NICs started in %d ms%n", GUEST, (System.nanoTime() - t0) / 1_000_000);
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_BOOTED);

        List<String> taps = targets(conn.xmlDesc(ref, 0));
        assertThat(taps).hasSize(3);
        String virtio = taps.get(0);
        String e1000 = taps.get(1);
        assertThat(virtio).matches("vnet\\d+");
        assertThat(e1000).matches("vnet\\d+");
        assertThat(taps.get(2)).isEqualTo(ownTap);
        assertTap(virtio, "fe:54:00:5a:00:01", 1400);
        assertTap(e1000, "fe:54:00:5a:00:02", 1450);
        // Inactive XML leaves out the names the kernel generated, keeps the user's.
        String inactive = conn.xmlDesc(ref, io.jvirt.api.XmlFlags.INACTIVE);
        assertThat(targets(inactive)).containsExactly(ownTap);
        // jvirt keeps no fd of its own on a tap once QEMU has them.
        assertThat(tunFdsOfThisJvm()).isZero();

        // A fresh driver on the same root (what a jvirtd restart is for the guest), then destroy: the taps jvirt
        // made go with QEMU, the one it was given stays.
        conn.close();
        conn = host.open();
        conn.destroy(conn.lookupByName(GUEST), 0);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !Files.exists(SYS_NET.resolve(virtio)) && !Files.exists(SYS_NET.resolve(e1000)));
        assertThat(Files.exists(SYS_NET.resolve(ownTap))).isTrue();
        conn.undefine(conn.lookupByName(GUEST), 0);
    }

    @Test
    @Order(20)
    void aMissingBridgeFailsClearlyAndLeavesNoTapAndNoQemu() throws Exception {
        Set<String> before = interfaces();
        DomainRef ref = conn.defineXml(
                xml("nic2", bridged("52:54:00:5a:00:04", "virtio", "").replace(bridge, "jvnosuch" + suffix)));

        assertThatThrownBy(() -> conn.create(ref, 0)).isInstanceOfSatisfying(VirtException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SYSTEM_ERROR);
            assertThat(e.getMessage()).contains("Cannot get interface MTU on 'jvnosuch" + suffix + "': No such device");
        });

        assertThat(conn.isActive(ref)).isFalse();
        assertThat(interfaces()).isEqualTo(before);
        conn.undefine(ref, 0);
    }

    @Test
    @Order(30)
    void otherInterfaceTypesAreRefused() {
        assertThatThrownBy(() -> conn.defineXml(
                        xml("nic3", "<interface type='network'><source network='default'/></interface>")))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_UNSUPPORTED);
                    assertThat(e.getMessage()).contains("unsupported interface type 'network'");
                });
    }

    private void assertTap(String tap, String mac, int mtu) throws IOException {
        Path sys = SYS_NET.resolve(tap);
        assertThat(Files.readSymbolicLink(sys.resolve("master")).getFileName().toString())
                .as("bridge of %s", tap)
                .isEqualTo(bridge);
        assertThat(Files.readString(sys.resolve("address")).strip())
                .as("MAC of %s", tap)
                .isEqualTo(mac);
        assertThat(Files.readString(sys.resolve("mtu")).strip())
                .as("MTU of %s", tap)
                .isEqualTo(Integer.toString(mtu));
    }

    private static List<String> targets(String xml) {
        List<String> out = new ArrayList<>();
        Matcher m = TARGET.matcher(xml);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static Set<String> interfaces() throws IOException {
        try (Stream<Path> s = Files.list(SYS_NET)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private static long tunFdsOfThisJvm() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString().equals("/dev/net/tun");
                        } catch (IOException e) {
                            return false; // closed while listing
                        }
                    })
                    .count();
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
    }

    private static void runQuietly(String... cmd) throws Exception {
        new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor();
    }
}
