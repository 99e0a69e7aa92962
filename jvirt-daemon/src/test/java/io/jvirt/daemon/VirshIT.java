package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.DomainRef;
import io.jvirt.guest.GuestBuilder;
import io.jvirt.guest.GuestXml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The stock virsh (libvirt-clients 11.3) against a jvirtd on a temporary root, through its unix sockets; a real
 * QEMU guest goes through define, start, suspend/resume, save/restore, destroy and undefine, with the output
 * checked as a virsh user reads it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VirshIT {

    private Path root;
    private Daemon daemon;
    private Virsh virsh;
    private Virsh readOnlySocket;
    private Path guestXml;

    @BeforeAll
    void startDaemon() throws IOException {
        root = Files.createTempDirectory("jvirtd-it-");
        daemon = Daemon.start(DaemonConfig.forRoot(root, root.resolve("run")));
        daemon.awaitReady();
        virsh = Virsh.on(daemon.rwSocket());
        readOnlySocket = new Virsh(daemon.roSocket(), false);
        guestXml = root.resolve("g1.xml");
        Files.writeString(guestXml, GuestXml.named("g1").memoryMiB(256).fillMiB(64)
                .serialFile(root.resolve("g1.serial.log")).image(GuestBuilder.ensureBuilt()).toXml());
    }

    @AfterAll
    void stopDaemon() throws IOException {
        try {
            if (daemon != null) {
                for (DomainRef d : daemon.driver().listAllDomains(0)) {
                    if (d.isActive()) {
                        daemon.driver().destroy(d, 0);
                    }
                }
                daemon.close();
            }
        } finally {
            QemuReaper.killLeftovers(root);
            QemuReaper.deleteTree(root);
        }
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
                .isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
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
                .redirectOutput(eventsOut.toFile()).redirectErrorStream(true).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> daemon.someClientListensTo(ClientEvents.ID_LIFECYCLE));
            Virsh.Result define = virsh.run("define", guestXml.toString());
            assertThat(define.out()).contains("Domain 'g1' defined from " + guestXml);
            assertThat(rowOf("g1")).matches("\\s*-\\s+g1\\s+shut off");

            assertThat(virsh.run("start", "g1").out()).contains("Domain 'g1' started");
            assertThat(rowOf("g1")).matches("\\s*\\d+\\s+g1\\s+running");
            Virsh.Result info = virsh.run("dominfo", "g1");
            assertThat(info.out()).containsPattern("Name:\\s+g1").containsPattern("State:\\s+running")
                    .containsPattern("Persistent:\\s+yes").containsPattern("Max memory:\\s+262144 KiB");
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
            assertThat(refused.err()).contains("error: operation forbidden: read only access prevents virDomainDestroy");
            assertThat(virsh.run("domstate", "g1").out().strip()).isEqualTo("running");

            Path image = root.resolve("g1.save");
            assertThat(virsh.run("save", "g1", image.toString()).out()).contains("Domain 'g1' saved to " + image);
            assertThat(virsh.run("domstate", "--reason", "g1").out().strip()).isEqualTo("shut off (saved)");
            assertThat(virsh.run("restore", image.toString()).out()).contains("Domain restored from " + image);
            assertThat(virsh.run("domstate", "--reason", "g1").out().strip()).isEqualTo("running (restored)");

            assertThat(virsh.run("destroy", "g1").out()).contains("Domain 'g1' destroyed");
            assertThat(virsh.run("domstate", "--reason", "g1").out().strip()).isEqualTo("shut off (destroyed)");

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Files.readString(eventsOut))
                    .contains("event 'lifecycle' for domain 'g1': Defined Added",
                            "event 'lifecycle' for domain 'g1': Started Booted",
                            "event 'lifecycle' for domain 'g1': Suspended Paused",
                            "event 'lifecycle' for domain 'g1': Resumed Unpaused",
                            "event 'lifecycle' for domain 'g1': Stopped Destroyed"));
        } finally {
            events.destroy();
            events.waitFor();
        }

        Virsh.Result roStart = Virsh.readOnly(daemon.roSocket()).run("start", "g1");
        assertThat(roStart.err()).contains("operation forbidden: read only access prevents virDomainCreate");
        assertThat(readOnlySocket.run("start", "g1").err())
                .contains("operation forbidden: read only access prevents virDomainCreate");

        assertThat(virsh.run("undefine", "g1").out()).contains("Domain 'g1' has been undefined");
        assertThat(virsh.run("list", "--all").out()).doesNotContain("g1");
    }

    @Test
    @Order(4)
    void errorsReadAsLibvirtsOwn() throws Exception {
        Virsh.Result missing = virsh.run("dominfo", "nosuch");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("error: failed to get domain 'nosuch'");

        Path bad = root.resolve("bad.xml");
        Files.writeString(bad, "<domain type='qemu'><name>broken");
        Virsh.Result badXml = virsh.run("define", bad.toString());
        assertThat(badXml.exit()).isNotZero();
        assertThat(badXml.err()).contains("error: Failed to define domain from " + bad);

        virsh.run("define", guestXml.toString());
        try {
            // DOMAIN_INTERFACE_STATS (65) is not served: libvirt's "unknown procedure", code NO_SUPPORT for the client.
            Virsh.Result unsupported = virsh.run("domifstat", "g1", "vnet0");
            assertThat(unsupported.exit()).isNotZero();
            assertThat(unsupported.err()).contains("error: unknown procedure: 65");
        } finally {
            virsh.run("undefine", "g1");
        }
    }

    @Test
    @Order(5)
    void jobSaveDumpAndTuningCommands() throws Exception {
        virsh.run("define", guestXml.toString());
        try {
            assertThat(virsh.run("start", "g1").out()).contains("Domain 'g1' started");
            assertThat(virsh.run("autostart", "g1").out()).contains("Domain 'g1' marked as autostarted");
            assertThat(virsh.run("dominfo", "g1").out()).containsPattern("Autostart:\\s+enable")
                    .containsPattern("Autostart Once:\\s+disable");
            virsh.run("autostart", "--disable", "g1");

            virsh.run("migrate-setspeed", "g1", "100");
            assertThat(virsh.run("migrate-getspeed", "g1").out().strip()).isEqualTo("100");
            virsh.run("migrate-setmaxdowntime", "g1", "400");
            assertThat(virsh.run("migrate-getmaxdowntime", "g1").out().strip()).isEqualTo("400");
            assertThat(virsh.run("migrate-postcopy", "g1").err())
                    .contains("post-copy can only be started while outgoing migration is in progress");
            assertThat(virsh.run("domjobabort", "g1").err()).contains("no job is active on the domain");
            assertThat(virsh.run("domdisplay", "g1").err()).contains("error: No graphical display found");

            Path image = root.resolve("g1-job.save");
            virsh.run("save", "g1", image.toString());
            assertThat(virsh.run("domjobinfo", "--completed", "g1").out())
                    .containsPattern("Job type:\\s+Completed").containsPattern("Operation:\\s+Save");
            assertThat(virsh.run("save-image-dumpxml", image.toString()).out()).contains("<name>g1</name>");
            assertThat(virsh.run("restore", image.toString()).exit()).isZero();

            Path core = root.resolve("g1.core");
            assertThat(virsh.run("dump", "--memory-only", "--format", "elf", "g1", core.toString()).out())
                    .contains("Domain 'g1' dumped to " + core);
            assertThat(Files.size(core)).isGreaterThan(256L << 20);
            Files.delete(core);

            assertThat(virsh.run("managedsave", "g1").out()).contains("Domain 'g1' state saved by libvirt");
            assertThat(virsh.run("dominfo", "g1").out()).containsPattern("Managed save:\\s+yes");
            virsh.run("start", "g1");
            assertThat(virsh.run("domstate", "--reason", "g1").out().strip()).isEqualTo("running (restored)");
            assertThat(virsh.run("destroy", "g1").exit()).isZero();
        } finally {
            virsh.run("destroy", "g1");
            virsh.run("undefine", "g1");
        }
    }

    @Test
    @Order(50)
    void createShutdownAndManagedSaveRemove() throws Exception {
        // create: a transient guest straight from XML; shutdown: the guest powers off through ACPI.
        io.jvirt.guest.SerialLog serial = new io.jvirt.guest.SerialLog(root.resolve("g1.serial.log"));
        int bootsBefore = serial.boots();
        assertThat(virsh.run("create", guestXml.toString()).out()).contains("Domain 'g1' created from " + guestXml);
        try {
            assertThat(virsh.run("domstate", "--reason", "g1").out().strip()).isEqualTo("running (booted)");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90))
                    .until(() -> serial.boots() > bootsBefore && serial.ready());
            assertThat(virsh.run("shutdown", "g1").out()).contains("Domain 'g1' is being shutdown");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> !virsh.run("list", "--all").out().contains(" g1 "));
        } finally {
            virsh.run("destroy", "g1");
        }
        virsh.run("define", guestXml.toString());
        try {
            virsh.run("start", "g1");
            assertThat(virsh.run("managedsave", "g1").exit()).isZero();
            assertThat(virsh.run("managedsave-remove", "g1").out()).contains("Removed managedsave image for domain 'g1'");
            assertThat(virsh.run("dominfo", "g1").out()).containsPattern("Managed save:\\s+no");
        } finally {
            virsh.run("undefine", "g1");
        }
    }

    private String rowOf(String name) throws Exception {
        List<String> rows = virsh.run("list", "--all").out().lines().filter(l -> l.contains(" " + name + " ")).toList();
        assertThat(rows).hasSize(1);
        return rows.getFirst().stripTrailing();
    }

}
