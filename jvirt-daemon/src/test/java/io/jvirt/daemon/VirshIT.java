package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.Connections;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import io.jvirt.rpc.wire.MessageLimits;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * The stock virsh (libvirt-clients 11.3) against a jvirtd on a temporary root, through its unix sockets; a real
 * QEMU guest goes through define, start, suspend/resume, save/restore, destroy and undefine, with the output
 * checked as a virsh user reads it. Each save and restore, and each managed save and the start that restores it, is
 * proven with {@link GuestIntegrity}: the old QEMU gone, the guest's memory checked whole since, its clock on.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VirshIT {

    private TwoDaemons hosts;
    private VirshHost host;
    private Path root;
    private Daemon daemon;
    private Virsh virsh;
    private Virsh readOnlySocket;
    private Path guestXml;

    @BeforeAll
    void startDaemon() throws IOException {
        hosts = TwoDaemons.none("jvirtd-it-");
        host = hosts.startInJvm("A", TwoDaemons::config);
        root = host.root();
        daemon = hosts.daemon(host);
        daemon.awaitReady();
        virsh = host.virsh();
        readOnlySocket = new Virsh(daemon.roSocket(), false);
        guestXml = guestXml("g1");
    }

    /**
     * The guest's XML in a file of its own, its serial log {@code run.serial.log} of its own too: each boot gets a
     * fresh log, as the integrity check wants exactly one boot in it.
     */
    private Path guestXml(String run) throws IOException {
        Path xml = root.resolve(run + ".xml");
        Files.writeString(
                xml,
                TwoDaemons.guestXml(
                        "g1",
                        root.resolve(run + ".serial.log"),
                        g -> g.memoryMiB(256).fillMiB(64)));
        return xml;
    }

    /** The serial log of {@link #guestXml(String) run}, once the guest filled its memory and ticked. */
    private SerialLog awaitGuest(String run) {
        long t0 = System.nanoTime();
        SerialLog log = new SerialLog(root.resolve(run + ".serial.log"));
        log.awaitReady(Duration.ofSeconds(120));
        log.awaitTickAfter(0, Duration.ofSeconds(60));
        System.out.printf("[it] boot g1 (%s): %.2f s%n", run, (System.nanoTime() - t0) / 1e9);
        return log;
    }

    @AfterAll
    void stopDaemon() throws IOException {
        hosts.close();
    }

    @Test
    @Order(1)
    void socketsAreOwnerOnlyAndReadOnly() throws IOException {
        assertThat(Files.getPosixFilePermissions(daemon.rwSocket())).isEqualTo(UnixSockets.permissions(0700));
        assertThat(Files.getPosixFilePermissions(daemon.roSocket())).isEqualTo(UnixSockets.permissions(0777));
    }

    @Test
    @Order(2)
    void connectionCommands() throws Exception {
        assertThat(virsh.run("uri").out().strip()).isEqualTo("qemu+unix:///system?socket=" + daemon.rwSocket());
        assertThat(virsh.run("hostname").out().strip())
                .isEqualTo(
                        Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
        long v = daemon.driver().hypervisorVersion();
        String qemu = (v / 1_000_000) + "." + (v / 1000 % 1000) + "." + (v % 1000);
        Virsh.Result version = virsh.run("version", "--daemon");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).contains("Running hypervisor: QEMU " + qemu, "Running against daemon: ");
        Virsh.Result list = virsh.run("list", "--all");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("Id", "Name", "State").doesNotContain("g1");
        assertThat(virsh.run("nodeinfo").out()).contains("CPU model:", "NUMA cell(s):        1");
        assertThat(virsh.run("capabilities").out()).contains("<uuid>" + daemon.hostUuid() + "</uuid>");
    }

    @Test
    @Order(3)
    void guestLifecycleWithEvents() throws Exception {
        Path eventsOut = root.resolve("events.out");
        Process events = virsh.command("event", "--loop", "--all", "--timeout", "120")
                .redirectOutput(eventsOut.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> daemon.someClientListensTo(ClientEvents.ID_LIFECYCLE));
            Virsh.Result define = virsh.run("define", guestXml.toString());
            assertThat(define.out()).contains("Domain 'g1' defined from " + guestXml);
            assertThat(rowOf("g1")).matches("\\s*-\\s+g1\\s+shut off");

            assertThat(virsh.run("start", "g1").out()).contains("Domain 'g1' started");
            assertThat(rowOf("g1")).matches("\\s*\\d+\\s+g1\\s+running");
            Virsh.Result info = virsh.run("dominfo", "g1");
            assertThat(info.out())
                    .containsPattern("Name:\\s+g1")
                    .containsPattern("State:\\s+running")
                    .containsPattern("Persistent:\\s+yes")
                    .containsPattern("Max memory:\\s+262144 KiB");
            assertThat(virsh.run("domstate", "--reason", "g1").out().strip()).isEqualTo("running (booted)");
            assertThat(virsh.run("domid", "g1").out().strip()).matches("\\d+");
            assertThat(virsh.run("domjobinfo", "g1").out()).containsPattern("Job type:\\s+None");

            assertThat(virsh.run("suspend", "g1").out()).contains("Domain 'g1' suspended");
            assertThat(virsh.run("domstate", "--reason", "g1").out().strip()).isEqualTo("paused (user)");
            assertThat(virsh.run("resume", "g1").out()).contains("Domain 'g1' resumed");
            assertThat(virsh.run("domstate", "--reason", "g1").out().strip()).isEqualTo("running (unpaused)");
            assertThat(virsh.run("dumpxml", "g1").out()).contains("<name>g1</name>");

            Virsh.Result refused = readOnlySocket.run("destroy", "g1");
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.err())
                    .contains("error: operation forbidden: read only access prevents virDomainDestroy");
            assertThat(virsh.run("domstate", "g1").out().strip()).isEqualTo("running");
            // A frame over the limit closes that connection only; the guest and the other clients go on.
            try (SocketChannel hostile = SocketChannel.open(UnixDomainSocketAddress.of(daemon.roSocket()))) {
                hostile.write(
                        ByteBuffer.allocate(4).putInt(MessageLimits.MAX + 8).flip());
                assertThat(new WireClient(hostile, hostile).next()).isEmpty();
            }
            assertThat(readOnlySocket.run("domstate", "g1").out().strip()).isEqualTo("running");

            SerialLog log = awaitGuest("g1");
            GuestIntegrity whole = GuestIntegrity.before(log, "g1", host.guest());
            Path image = root.resolve("g1.save");
            long t0 = System.nanoTime();
            assertThat(virsh.run("save", "g1", image.toString()).out()).contains("Domain 'g1' saved to " + image);
            System.out.printf("[it] save: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(virsh.run("domstate", "--reason", "g1").out().strip()).isEqualTo("shut off (saved)");
            whole.awaitPreviousQemuExit();
            t0 = System.nanoTime();
            assertThat(virsh.run("restore", image.toString()).out()).contains("Domain restored from " + image);
            System.out.printf("[it] restore: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(virsh.run("domstate", "--reason", "g1").out().strip()).isEqualTo("running (restored)");
            whole.assertMovedTo(host.guest(), StateReason.RUNNING_RESTORED);
            hosts.assertNothingStray();

            assertThat(virsh.run("destroy", "g1").out()).contains("Domain 'g1' destroyed");
            assertThat(virsh.run("domstate", "--reason", "g1").out().strip()).isEqualTo("shut off (destroyed)");
            hosts.assertNothingStray();

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(Files.readString(eventsOut))
                            .contains(
                                    "event 'lifecycle' for domain 'g1': Defined Added",
                                    "event 'lifecycle' for domain 'g1': Started Booted",
                                    "event 'lifecycle' for domain 'g1': Suspended Paused",
                                    "event 'lifecycle' for domain 'g1': Resumed Unpaused",
                                    "event 'lifecycle' for domain 'g1': Stopped Destroyed"));
        } finally {
            events.destroy();
            events.waitFor();
        }

        Virsh.Result roStart = Virsh.readOnly(daemon.roSocket()).run("start", "g1");
        assertThat(roStart.exit()).isNotZero();
        assertThat(roStart.err()).contains("error: operation forbidden: read only access prevents virDomainCreate");
        assertThat(readOnlySocket.run("start", "g1").err())
                .contains("error: operation forbidden: read only access prevents virDomainCreate");

        assertThat(virsh.run("undefine", "g1").out()).contains("Domain 'g1' has been undefined");
        assertThat(virsh.run("list", "--all").out()).doesNotContain("g1");
    }

    @Test
    @Order(4)
    void errorsReadAsLibvirtsOwn() throws Exception {
        Virsh.Result missing = virsh.run("dominfo", "nosuch");
        assertThat(missing.exit()).isNotZero();
        System.out.println("[it] dominfo nosuch: " + missing.err().strip());
        // virsh resets libvirt's error after its look-ups and prints only its own line; the code travels on the wire.
        assertThat(missing.err().strip()).isEqualTo("error: failed to get domain 'nosuch'");
        try (Connection remote = Connections.open(host.uri())) {
            assertThatThrownBy(() -> remote.lookupByName("nosuch")).isInstanceOfSatisfying(VirtException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.NO_DOMAIN);
                assertThat(e.getMessage()).contains("no domain with matching name 'nosuch'");
            });
        }

        Path bad = root.resolve("bad.xml");
        Files.writeString(bad, "<domain type='qemu'><name>broken");
        Virsh.Result badXml = virsh.run("define", bad.toString());
        assertThat(badXml.exit()).isNotZero();
        System.out.println("[it] define broken XML: " + badXml.err().strip());
        // XML_DETAIL, as libvirt words a parse error: the document's name, line and column, then the parser's words.
        assertThat(badXml.err())
                .contains("error: Failed to define domain from " + bad, "error: (domain_definition):1:");

        virsh.run("define", guestXml.toString());
        try {
            // DOMAIN_SET_MEMORY_FLAGS (204) on an inactive domain changes its configuration (see DailyVirshIT).
            Virsh.Result setmem = virsh.run("setmem", "g1", "100M", "--config");
            assertThat(setmem.exit()).as(setmem.all()).isZero();
            assertThat(virsh.run("dumpxml", "g1", "--inactive").out())
                    .contains("<currentMemory unit='KiB'>102400</currentMemory>");
        } finally {
            virsh.run("undefine", "g1");
        }
    }

    @Test
    @Order(5)
    void jobSaveDumpAndTuningCommands() throws Exception {
        virsh.run("define", guestXml("g1-jobs").toString());
        try {
            assertThat(virsh.run("start", "g1").out()).contains("Domain 'g1' started");
            SerialLog log = awaitGuest("g1-jobs");
            assertThat(virsh.run("autostart", "g1").out()).contains("Domain 'g1' marked as autostarted");
            assertThat(virsh.run("dominfo", "g1").out())
                    .containsPattern("Autostart:\\s+enable")
                    .containsPattern("Autostart Once:\\s+disable");
            virsh.run("autostart", "--disable", "g1");

            virsh.run("migrate-setspeed", "g1", "100");
            assertThat(virsh.run("migrate-getspeed", "g1").out().strip()).isEqualTo("100");
            virsh.run("migrate-setmaxdowntime", "g1", "400");
            assertThat(virsh.run("migrate-getmaxdowntime", "g1").out().strip()).isEqualTo("400");
            Virsh.Result postcopy = virsh.run("migrate-postcopy", "g1");
            assertThat(postcopy.exit()).isNotZero();
            assertThat(postcopy.err())
                    .contains("error: Requested operation is not valid: "
                            + "post-copy can only be started while outgoing migration is in progress");
            Virsh.Result abort = virsh.run("domjobabort", "g1");
            assertThat(abort.exit()).isNotZero();
            assertThat(abort.err()).contains("error: Requested operation is not valid: no job is active on the domain");
            assertThat(virsh.run("domdisplay", "g1").err()).contains("error: No graphical display found");

            GuestIntegrity saved = GuestIntegrity.before(log, "g1", host.guest());
            Path image = root.resolve("g1-job.save");
            assertThat(virsh.run("save", "g1", image.toString()).exit()).isZero();
            assertThat(virsh.run("domjobinfo", "--completed", "g1").out())
                    .containsPattern("Job type:\\s+Completed")
                    .containsPattern("Operation:\\s+Save");
            assertThat(virsh.run("save-image-dumpxml", image.toString()).out()).contains("<name>g1</name>");
            assertThat(virsh.run("restore", image.toString()).exit()).isZero();
            saved.assertMovedTo(host.guest(), StateReason.RUNNING_RESTORED);
            hosts.assertNothingStray();

            Path core = root.resolve("g1.core");
            assertThat(virsh.run("dump", "--memory-only", "--format", "elf", "g1", core.toString())
                            .out())
                    .contains("Domain 'g1' dumped to " + core);
            assertThat(Files.size(core)).isGreaterThan(256L << 20);
            Files.delete(core);

            GuestIntegrity managed = GuestIntegrity.before(log, "g1", host.guest());
            long t0 = System.nanoTime();
            assertThat(virsh.run("managedsave", "g1").out()).contains("Domain 'g1' state saved by libvirt");
            System.out.printf("[it] managedsave: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(virsh.run("dominfo", "g1").out()).containsPattern("Managed save:\\s+yes");
            assertThat(virsh.run("domstate", "--reason", "g1").out().strip()).isEqualTo("shut off (saved)");
            managed.awaitPreviousQemuExit();
            assertThat(virsh.run("start", "g1").out()).contains("Domain 'g1' started");
            assertThat(virsh.run("domstate", "--reason", "g1").out().strip()).isEqualTo("running (restored)");
            assertThat(virsh.run("dominfo", "g1").out()).containsPattern("Managed save:\\s+no");
            managed.assertMovedTo(host.guest(), StateReason.RUNNING_RESTORED);
            hosts.assertNothingStray();
            assertThat(virsh.run("destroy", "g1").exit()).isZero();
            hosts.assertNothingStray();
        } finally {
            virsh.run("destroy", "g1");
            virsh.run("undefine", "g1");
        }
    }

    @Test
    @Order(50)
    void createShutdownAndManagedSaveRemove() throws Exception {
        // create: a transient guest straight from XML; shutdown: the guest powers off through ACPI.
        Path created = guestXml("g1-create");
        SerialLog serial = new SerialLog(root.resolve("g1-create.serial.log"));
        int bootsBefore = serial.boots();
        assertThat(virsh.run("create", created.toString()).out()).contains("Domain 'g1' created from " + created);
        try {
            assertThat(virsh.run("domstate", "--reason", "g1").out().strip()).isEqualTo("running (booted)");
            await().atMost(Duration.ofSeconds(90)).until(() -> serial.boots() > bootsBefore && serial.ready());
            assertThat(virsh.run("shutdown", "g1").out()).contains("Domain 'g1' is being shutdown");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !virsh.run("list", "--all").out().contains(" g1 "));
        } finally {
            virsh.run("destroy", "g1");
        }
        hosts.assertNothingStray();
        virsh.run("define", guestXml.toString());
        try {
            virsh.run("start", "g1");
            assertThat(virsh.run("managedsave", "g1").exit()).isZero();
            assertThat(virsh.run("managedsave-remove", "g1").out())
                    .contains("Removed managedsave image for domain 'g1'");
            assertThat(virsh.run("dominfo", "g1").out()).containsPattern("Managed save:\\s+no");
            assertThat(virsh.run("domstate", "--reason", "g1").out().strip()).isEqualTo("shut off (saved)");
        } finally {
            virsh.run("undefine", "g1");
        }
        hosts.assertNothingStray();
    }

    private String rowOf(String name) throws Exception {
        List<String> rows = virsh.run("list", "--all")
                .out()
                .lines()
                .filter(l -> l.contains(" " + name + " "))
                .toList();
        assertThat(rows).hasSize(1);
        return rows.getFirst().stripTrailing();
    }
}
