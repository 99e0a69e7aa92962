package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.DomainRef;
import io.jvirt.api.StateReason;
import io.jvirt.guest.GuestDisk;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * QEMU's own TLS between two daemons ({@code virsh migrate --live --p2p --tls}): each daemon's
 * {@code migrate_tls_x509_cert_dir} holds certificates made with {@code certtool} for one CA (server and client for
 * {@code 127.0.0.1}), the destination checking the source's client certificate ({@code migrate_tls_x509_verify},
 * on by default). The guest, with a qcow2 disk it keeps writing, goes A to B and back, then with multifd, with
 * post-copy, and with its disk copied over NBD with TLS, proven whole by {@link GuestIntegrity} after each hop.
 * Then the refusals: a destination missing its server key refuses in Prepare with the error QEMU's object-add
 * gives, before any QEMU starts; and a destination whose certificates come from another CA fails the migration in
 * the TLS handshake, which also shows the stream really is TLS (plain TCP would not care). The guest stays running
 * on the source through both.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerMigrationTlsIT {
    private static final String GUEST = "tls";
    private static final long REGION_MIB = 8;

    private TwoDaemons hosts;
    private VirshHost a;
    private VirshHost b;
    private SerialLog log;
    private Path onA;
    private Path certs;

    @BeforeAll
    void start() throws Exception {
        hosts = TwoDaemons.start("jvirtd-qemutls-", this::configured, this::configured);
        a = hosts.a();
        b = hosts.b();
        onA = hosts.base.resolve("a-vda.qcow2");
        HostCommand.run("qemu-img", "create", "-q", "-f", "qcow2", onA.toString(), (REGION_MIB + 8) + "M");
        long t0 = System.nanoTime();
        log = hosts.boot(
                a,
                GUEST,
                g -> g.memoryMiB(128)
                        .fillMiB(24)
                        .dirtyMibps(4)
                        .disk(GuestDisk.file(onA).format(GuestDisk.Format.QCOW2))
                        .diskWorkload(1, REGION_MIB));
        System.out.printf("[it] boot %s: %.2f s%n", GUEST, (System.nanoTime() - t0) / 1e9);
    }

    /** The daemon's settings: its own copy of the one CA's certificates in {@code root/pki}, named in jvirt.conf. */
    private DaemonConfig configured(Path root) {
        try {
            if (certs == null) {
                certs = QemuTlsCerts.make(root.getParent().resolve("pki-made"), "jvirt test CA");
            }
            Path pki = QemuTlsCerts.copy(certs, root.resolve("pki"));
            Files.createDirectories(root.resolve("etc"));
            Files.writeString(root.resolve("etc/jvirt.conf"), "migrate_tls_x509_cert_dir = \"" + pki + "\"\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return TwoDaemons.config(root);
    }

    @AfterAll
    void stop() throws Exception {
        if (hosts != null) {
            hosts.close();
        }
    }

    @Test
    @Order(1)
    void thereAndBackOverTlsThenWithMultifd() throws Exception {
        PeerHop.hop("tls, A->B", hosts, a, b, GUEST, log, "--tls");
        PeerHop.hop("tls with 2 multifd channels, B->A", hosts, b, a, GUEST, log, "--tls", "--parallel");
        assertNoTlsLeft(a);
    }

    /**
     * The guest's QEMU on {@code h} (destination of the last migration, or its failed source) has neither the
     * credentials object nor parameters naming it any more.
     */
    private void assertNoTlsLeft(VirshHost h) {
        DomainRef dom = h.connection().lookupByName(GUEST);
        assertThat(h.connection().qemuMonitorCommand(dom, "{\"execute\":\"query-migrate-parameters\"}", 0))
                .containsPattern("\"tls-creds\"\\s*:\\s*\"\"")
                .containsPattern("\"tls-hostname\"\\s*:\\s*\"\"");
        assertThat(h.connection()
                        .qemuMonitorCommand(dom, "{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"/objects\"}}", 0))
                .doesNotContain("objlibvirt_migrate_tls0");
    }

    @Test
    @Order(2)
    void postcopyOverTlsThenTheDiskCopiedOverNbdWithTls() throws Exception {
        AtomicBoolean sawPostcopy = new AtomicBoolean();
        AtomicBoolean hopping = new AtomicBoolean(true);
        // The source shows "paused (post-copy)" once QEMU switched; watched from the side while virsh migrates.
        Thread watcher = Thread.ofVirtual().start(() -> {
            while (hopping.get() && !sawPostcopy.get()) {
                try {
                    sawPostcopy.set(a.domstate(GUEST).equals("paused (post-copy)"));
                    Thread.sleep(50);
                } catch (Exception e) {
                    return;
                }
            }
        });
        try {
            PeerHop.hop(
                    "tls post-copy, A->B",
                    hosts,
                    a,
                    b,
                    GUEST,
                    log,
                    "--tls",
                    "--postcopy",
                    "--postcopy-after-precopy",
                    "--bandwidth",
                    "16");
        } finally {
            hopping.set(false);
            watcher.join();
        }
        assertThat(sawPostcopy).as("the source was seen paused in post-copy").isTrue();
        Path there = hosts.base.resolve("a-copied-vda.qcow2");
        String xml = b.virsh().run("dumpxml", "--migratable", GUEST).out();
        assertThat(xml).contains("file='" + onA + "'");
        Path file = hosts.base.resolve("to-a.xml");
        Files.writeString(file, xml.replace("file='" + onA + "'", "file='" + there + "'"));
        PeerHop.hop(
                "tls with the disk copied, B->A",
                hosts,
                b,
                a,
                GUEST,
                log,
                "--tls",
                "--copy-storage-all",
                "--xml",
                file.toString());
        assertThat(there).as("the image A made and the guest now uses").exists();
    }

    @Test
    @Order(3)
    void aDestinationWithoutItsServerKeyRefusesBeforeAnythingStarts() throws Exception {
        Path key = b.root().resolve("pki/server-key.pem");
        Path aside = b.root().resolve("pki/server-key.pem.aside");
        Files.move(key, aside);
        try {
            GuestIntegrity whole = GuestIntegrity.before(log, GUEST, a.guest());
            Virsh.Result r = a.virsh().run("migrate", "--live", "--p2p", "--tls", GUEST, b.uri());
            System.out.println("[it] missing server key: " + r.all().strip());
            assertThat(r.exit()).isNotZero();
            assertThat(r.err())
                    .contains("error: internal error: unable to execute QEMU command 'object-add': Unable to access "
                            + "credentials " + key + ": No such file or directory");
            assertThat(b.guest().runsAnyQemu()).as("no QEMU started on B").isFalse();
            whole.assertStayed(StateReason.RUNNING_MIGRATED);
            hosts.assertNothingStray();
        } finally {
            Files.move(aside, key);
        }
    }

    @Test
    @Order(4)
    void aDestinationFromAnotherCaFailsTheHandshakeAndTheGuestStays() throws Exception {
        Path other = QemuTlsCerts.make(hosts.base.resolve("pki-other"), "another CA");
        Path pki = b.root().resolve("pki");
        Path kept = QemuTlsCerts.copy(pki, hosts.base.resolve("pki-b-kept"));
        QemuTlsCerts.copy(other, pki);
        try {
            GuestIntegrity whole = GuestIntegrity.before(log, GUEST, a.guest());
            Virsh.Result r = a.virsh().run("migrate", "--live", "--p2p", "--tls", GUEST, b.uri());
            System.out.println("[it] another CA: " + r.all().strip());
            assertThat(r.exit()).isNotZero();
            // GnuTLS's reason, as QEMU reports the failed handshake: the server's certificate is not from A's CA.
            assertThat(r.err())
                    .contains("error: operation failed: job 'migration out' failed: ")
                    .containsIgnoringCase("certificate");
            whole.assertStayed(StateReason.RUNNING_MIGRATED);
            assertNoTlsLeft(a);
            hosts.assertNothingStray();
        } finally {
            QemuTlsCerts.copy(kept, pki);
        }
    }
}
