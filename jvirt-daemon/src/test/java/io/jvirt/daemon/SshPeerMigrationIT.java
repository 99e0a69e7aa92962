package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.StateReason;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * {@code virsh migrate --p2p} and {@code --p2p --tunnelled} to a {@code qemu+ssh://} destination: the source jvirtd
 * opens its peer connection through ssh, as libvirtd does, to a jvirtd behind a private sshd ({@link PrivateSshd});
 * tunnelled, the guest's memory travels inside that ssh channel. Client-managed, virsh reaches it over ssh itself. The guest comes back over the unix socket, and is
 * proven whole with {@link GuestIntegrity} after each hop. A destination that refuses the source's key fails the
 * migration before anything moves, and an ssh link cut mid-tunnel fails it with libvirt's words; the guest runs on
 * whole on the source either way.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SshPeerMigrationIT {
    private static final String NAME = "sshg";

    private TwoDaemons hosts;
    private VirshHost a;
    private VirshHost b;
    private PrivateSshd sshd;
    private SerialLog log;

    @BeforeAll
    void start() throws Exception {
        hosts = TwoDaemons.none("jvirtd-sshmig-");
        Path libvirtRun = hosts.base.resolve("libvirt-run");
        a = hosts.startInJvm("A", TwoDaemons::config);
        b = hosts.startInJvm("B", root -> PrivateSshd.behindSshd(root, libvirtRun));
        sshd = PrivateSshd.start(hosts.base.resolve("sshd"), libvirtRun);
        long t0 = System.nanoTime();
        log = hosts.boot(a, NAME, g -> g.memoryMiB(256).fillMiB(128));
        System.out.printf("[it] boot %s: %.2f s%n", NAME, (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    void stop() throws Exception {
        TwoDaemons.closeLogging(sshd);
        hosts.close();
    }

    @Test
    @Order(10)
    void nativeTunnelledAndClientManagedToAnSshDestination() throws Exception {
        PeerHop.hopVia("p2p native A->B over ssh", hosts, a, b, sshd.uri(""), NAME, log);
        PeerHop.hop("p2p native B->A", hosts, b, a, NAME, log);
        PeerHop.hopVia("p2p tunnelled A->B over ssh", hosts, a, b, sshd.uri(""), NAME, log, "--tunnelled");
        PeerHop.hop("p2p tunnelled B->A", hosts, b, a, NAME, log, "--tunnelled");
        // virsh itself reaches the destination over ssh and drives both daemons
        PeerHop.clientManaged("client-managed A->B over ssh", hosts, a, b, sshd.uri(""), NAME, log);
        PeerHop.clientManaged("client-managed B->A", hosts, b, a, a.uri(), NAME, log);
    }

    @Test
    @Order(20)
    void aDestinationThatRefusesTheKeyFailsTheMigrationBeforeItStarts() throws Exception {
        StateReason reason = a.guest().status(NAME).orElseThrow().reason();
        String stateBefore = a.domstate(NAME);
        String onB = b.domstate(NAME); // B keeps the definition the earlier hops left it
        GuestIntegrity whole = GuestIntegrity.before(log, NAME, a.guest());
        String refusing = sshd.uri(sshd.strangerKey(), sshd.sshWrapper(), "");
        Virsh.Result r = a.virsh().run("migrate", "--live", "--p2p", NAME, refusing);
        assertThat(r.exit()).isNotZero();
        // libvirtd's words: the peer URI, then what the ssh transport reported.
        assertThat(r.err())
                .contains("error: operation failed: Failed to connect to remote libvirt URI " + refusing + ": ")
                .contains("root@127.0.0.1: Permission denied (publickey).");
        assertThat(a.domstate(NAME)).isEqualTo(stateBefore);
        assertThat(b.domstate(NAME)).isEqualTo(onB);
        whole.assertStayed(reason);
        assertThat(b.guest().runsAnyQemu()).isFalse();
        hosts.assertNothingStray();
    }

    @Test
    @Order(30)
    void losingTheSshConnectionMidTunnelFailsTheMigrationAndTheGuestStays() throws Exception {
        StateReason reason = a.guest().status(NAME).orElseThrow().reason();
        String stateBefore = a.domstate(NAME);
        GuestIntegrity whole = GuestIntegrity.before(log, NAME, a.guest());
        Process migrate = a.virsh()
                .command("migrate", "--live", "--p2p", "--tunnelled", "--bandwidth", "16", NAME, sshd.uri(""))
                .redirectErrorStream(true)
                .start();
        String out;
        try {
            JobInfo.awaitMoving(a, NAME);
            sshd.endSessions();
            assertThat(migrate.waitFor(60, TimeUnit.SECONDS)).isTrue();
            out = new String(migrate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            migrate.destroyForcibly();
        }
        System.out.println("[it] ssh link cut mid-tunnel: " + out.strip());
        assertThat(migrate.exitValue()).as(out).isNotZero();
        assertThat(out).contains("error: operation failed: Lost connection to destination host");
        assertThat(a.domstate(NAME)).isEqualTo(stateBefore);
        whole.assertStayed(reason);
        // B lost its client mid-stream: its incoming QEMU must end, nothing of the attempt stay.
        await().atMost(GuestIntegrity.QEMU_EXIT).until(() -> !b.guest().runsAnyQemu());
        hosts.assertNothingStray();
    }
}
