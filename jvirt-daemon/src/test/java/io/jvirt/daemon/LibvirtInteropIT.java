package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.StateReason;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Live migration between Debian's libvirtd 11.3 and jvirtd, both ways, with stock virsh: the guest is defined and
 * booted by libvirtd (so it has the devices libvirt adds, a USB controller among them), then moves
 * libvirtd → jvirtd → libvirtd in each mode, each hop proven whole by {@link io.jvirt.guest.GuestIntegrity}. One
 * guest, booted once.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LibvirtInteropIT {
    private static final String NAME = "lvg";

    private TwoDaemons hosts;
    private PrivateLibvirtd libvirtd;
    private VirshHost jvirt;
    private VirshHost libvirt;
    private SerialLog log;

    @BeforeAll
    void start() throws Exception {
        hosts = TwoDaemons.none("jvirtd-libvirt-interop-");
        jvirt = hosts.startInJvm("J", TwoDaemons::config);
        long t0 = System.nanoTime();
        libvirtd = PrivateLibvirtd.start(
                hosts.root("L"), 52000 + 64 * ThreadLocalRandom.current().nextInt(50));
        System.out.printf("[it] private libvirtd up in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        libvirt = libvirtd.host("L");
        log = hosts.boot(libvirt, NAME, g -> g.memoryMiB(256).fillMiB(128).dirtyMibps(20));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (libvirtd != null) {
                libvirtd.close();
            }
        } finally {
            hosts.close();
        }
    }

    /** {@code extra} and the options that keep a native migration to libvirtd on 127.0.0.1. */
    private static String[] toLibvirt(String... extra) {
        return Stream.concat(Stream.of(extra), Stream.of(PrivateLibvirtd.LOOPBACK_MIGRATION))
                .toArray(String[]::new);
    }

    @Test
    @Order(10)
    void peerToPeerBothWays() throws Exception {
        PeerHop.hop("p2p libvirtd->jvirtd", hosts, libvirt, jvirt, NAME, log);
        PeerHop.hop("p2p jvirtd->libvirtd", hosts, jvirt, libvirt, NAME, log, toLibvirt());
    }

    @Test
    @Order(20)
    void tunnelledBothWays() throws Exception {
        PeerHop.hop("tunnelled libvirtd->jvirtd", hosts, libvirt, jvirt, NAME, log, "--tunnelled");
        PeerHop.hop("tunnelled jvirtd->libvirtd", hosts, jvirt, libvirt, NAME, log, "--tunnelled");
    }

    @Test
    @Order(30)
    void clientManagedBothWays() throws Exception {
        PeerHop.clientManaged("client-managed libvirtd->jvirtd", hosts, libvirt, jvirt, jvirt.uri(), NAME, log);
        PeerHop.clientManaged(
                "client-managed jvirtd->libvirtd", hosts, jvirt, libvirt, libvirt.uri(), NAME, log, toLibvirt());
    }

    @Test
    @Order(40)
    void multifdAndAutoConvergeBothWays() throws Exception {
        PeerHop.hop(
                "p2p multifd libvirtd->jvirtd",
                hosts,
                libvirt,
                jvirt,
                NAME,
                log,
                "--parallel",
                "--parallel-connections",
                "2",
                "--auto-converge");
        PeerHop.hop(
                "p2p multifd jvirtd->libvirtd",
                hosts,
                jvirt,
                libvirt,
                NAME,
                log,
                toLibvirt("--parallel", "--parallel-connections", "2", "--auto-converge"));
    }

    @Test
    @Order(50)
    void savedByOneRestoredByTheOther() throws Exception {
        Path image = hosts.base.resolve(NAME + ".save");
        GuestIntegrity whole = GuestIntegrity.before(log, NAME, libvirt.guest());
        assertThat(libvirt.virsh().run("save", NAME, image.toString()).exit()).isZero();
        Virsh.Result restored = jvirt.virsh().run("restore", image.toString());
        assertThat(restored.exit()).as(restored.all()).isZero();
        whole.assertMovedTo(jvirt.guest(), StateReason.RUNNING_RESTORED)
                .andOn(libvirt.guest(), StateReason.SHUTOFF_SAVED);

        Files.delete(image);
        whole = GuestIntegrity.before(log, NAME, jvirt.guest());
        assertThat(jvirt.virsh().run("save", NAME, image.toString()).exit()).isZero();
        restored = libvirt.virsh().run("restore", image.toString());
        assertThat(restored.exit()).as(restored.all()).isZero();
        whole.assertMovedTo(libvirt.guest(), StateReason.RUNNING_RESTORED)
                .andOn(jvirt.guest(), StateReason.SHUTOFF_SAVED);
    }
}
