package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.StateReason;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
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
 * {@code virsh migrate --p2p} (native and tunnelled) from a jvirtd to a jvirtd's {@code qemu+tls://} listener: the
 * source daemon opens the destination URI itself and presents the client certificate the URI's {@code pkipath}
 * names (client-managed, virsh opens it);  a destination that refuses that certificate fails the migration before anything moved, the guest running
 * on the source. One guest, booted once on A.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerMigrationOverTlsIT {
    private static final String NAME = "tlsg";

    private TwoDaemons hosts;
    private TestPki pki;
    private VirshHost a;
    private VirshHost b;
    private int bPort;
    private SerialLog log;

    @BeforeAll
    void start() throws Exception {
        hosts = TwoDaemons.none("jvirtd-p2p-tls-");
        pki = TestPki.make(hosts.root("pki"));
        a = hosts.startInJvm("A", TwoDaemons::config);
        bPort = pki.startTlsHost(hosts, "B");
        b = hosts.host("B");
        log = hosts.boot(a, NAME, g -> g.memoryMiB(256).fillMiB(128).dirtyMibps(20));
    }

    @AfterAll
    void stop() throws Exception {
        hosts.close();
    }

    @Test
    @Order(10)
    void nativeTunnelledAndClientManagedToATlsDestination() throws Exception {
        String toB = pki.uri("127.0.0.1", bPort, "client1", "");
        PeerHop.hopVia("p2p native A->B over TLS", hosts, a, b, toB, NAME, log);
        PeerHop.hop("p2p native B->A", hosts, b, a, NAME, log);
        PeerHop.hopVia("p2p tunnelled A->B over TLS", hosts, a, b, toB, NAME, log, "--tunnelled");
        PeerHop.hop("p2p tunnelled B->A", hosts, b, a, NAME, log, "--tunnelled");
        // Client-managed: virsh itself opens the TLS destination; the data goes QEMU to QEMU.
        PeerHop.clientManaged("client-managed A->B over TLS", hosts, a, b, toB, NAME, log);
        PeerHop.hop("p2p native B->A again", hosts, b, a, NAME, log);
    }

    @Test
    @Order(20)
    void refusedCertificateFailsCleanlyWithTheGuestOnTheSource() throws Exception {
        StateReason reason = a.guest().status(NAME).orElseThrow().reason();
        GuestIntegrity whole = GuestIntegrity.before(log, NAME, a.guest());
        // B keeps the inactive definition the earlier hops left ("shut off (migrated)"); a refusal must not touch it.
        String onB = b.domstate(NAME);
        for (String extra : new String[] {"", "--tunnelled"}) {
            Virsh.Result r = a.virsh()
                    .run(
                            "migrate",
                            "--live",
                            "--p2p",
                            extra.isEmpty() ? "--persistent" : extra,
                            NAME,
                            pki.uri("127.0.0.1", bPort, "other", ""));
            assertThat(r.exit()).as(r.all()).isNotZero();
            assertThat(r.err())
                    .contains("Failed to connect to remote libvirt URI qemu+tls://127.0.0.1:" + bPort)
                    .contains(TestPki.NO_CONFIRMATION);
            assertThat(a.domstate(NAME)).startsWith("running");
            assertThat(b.domstate(NAME)).isEqualTo(onB);
        }
        whole.assertStayed(reason).andOn(b.guest(), StateReason.SHUTOFF_MIGRATED);
        hosts.assertNothingStray();
    }
}
