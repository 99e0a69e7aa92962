package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The stock virsh on jvirtd's read-only socket, without {@code -r} (so virsh's own library does not refuse first
 * and the daemon must): what past advisories let through is refused with libvirt's words, no file is written or
 * read for it, and the VNC password of a defined guest never reaches it. No guest is started.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadOnlyVirshIT {
    private TwoDaemons hosts;
    private Path root;
    private Virsh virsh;
    private Virsh readOnlySocket;
    private String destination;

    @BeforeAll
    void startDaemon() throws Exception {
        hosts = TwoDaemons.none("jvirtd-ro-it-");
        VirshHost host = hosts.startInJvm("A", TwoDaemons::config);
        root = host.root();
        Daemon daemon = hosts.daemon(host);
        daemon.awaitReady();
        virsh = host.virsh();
        readOnlySocket = new Virsh(daemon.roSocket(), false);
        destination = "qemu+unix:///system?socket=" + daemon.rwSocket();
        Path xml = root.resolve("g1.xml");
        Files.writeString(
                xml,
                TwoDaemons.guestXml("g1", root.resolve("g1.serial.log"), g -> g)
                        .replace(
                                "</devices>",
                                "<graphics type='vnc' port='5999' autoport='no' listen='127.0.0.1'"
                                        + " passwd='vnc-s3cret'/></devices>"));
        assertThat(virsh.run("define", xml.toString()).exit()).isZero();
    }

    @AfterAll
    void stopDaemon() throws Exception {
        virsh.run("undefine", "g1");
        hosts.close();
    }

    private void refused(String expected, String... command) throws Exception {
        Virsh.Result r = readOnlySocket.run(command);
        assertThat(r.exit()).as(String.join(" ", command)).isNotZero();
        assertThat(r.err()).contains("error: operation forbidden: " + expected);
    }

    @Test
    void secureXmlNeverReachesTheReadOnlySocket() throws Exception {
        assertThat(virsh.run("dumpxml", "--security-info", "g1").out()).contains("passwd='vnc-s3cret'");
        Virsh.Result plain = readOnlySocket.run("dumpxml", "g1");
        assertThat(plain.exit()).isZero();
        assertThat(plain.out()).contains("<graphics type='vnc'").doesNotContain("s3cret");
        refused("virDomainGetXMLDesc with secure flag", "dumpxml", "--security-info", "g1");
        refused("virDomainGetXMLDesc with secure flag", "dumpxml", "--migratable", "g1");
    }

    @Test
    void pathsAreNeitherReadNorWrittenForTheReadOnlySocket() throws Exception {
        Path out = root.resolve("ro-out.img");
        refused("read only access prevents virDomainSaveImageGetXMLDesc", "save-image-dumpxml", "/etc/shadow");
        refused(
                "read only access prevents virDomainSaveImageDefineXML",
                "save-image-define",
                "/etc/shadow",
                "/dev/null");
        refused("read only access prevents virDomainRestore", "restore", "/etc/shadow");
        refused("read only access prevents virDomainSave", "save", "g1", out.toString());
        refused("read only access prevents virDomainCoreDump", "dump", "g1", out.toString());
        assertThat(out).doesNotExist();
    }

    @Test
    void whatJvirtdDoesNotServeIsAnErrorWithNothingRead() throws Exception {
        Path cpu = Files.writeString(root.resolve("cpu.xml"), "<cpu><model>qemu64</model></cpu>");
        for (String[] command : new String[][] {
            {"domcapabilities", "--emulatorbin", "/etc/shadow"},
            {"hypervisor-cpu-compare", cpu.toString()},
            {"hypervisor-cpu-baseline", cpu.toString()}
        }) {
            Virsh.Result r = readOnlySocket.run(command);
            assertThat(r.exit()).as(String.join(" ", command)).isNotZero();
            assertThat(r.out()).as(String.join(" ", command)).isBlank();
            assertThat(r.err()).contains("error: unknown procedure: ").doesNotContain("root:");
        }
    }

    @Test
    void managedSaveXmlAndAgentQueriesAreRefusedOrAnswerWithoutReading() throws Exception {
        Path cpu = Files.writeString(root.resolve("cpu2.xml"), "<cpu><model>qemu64</model></cpu>");
        refused("read only access prevents virDomainManagedSaveDefineXML", "managedsave-define", "g1", cpu.toString());
        refused("read only access prevents virDomainGetHostname", "domhostname", "g1");
        refused("read only access prevents virDomainGetTime", "domtime", "g1");
        Virsh.Result dump = readOnlySocket.run("managedsave-dumpxml", "g1");
        assertThat(dump.exit()).isNotZero();
        assertThat(dump.err())
                .contains("error: Requested operation is not valid: domain does not have managed save image");
    }

    @Test
    void migrationAndItsTuningAreRefused() throws Exception {
        refused("read only access prevents virDomainMigrateGetMaxSpeed", "migrate-getspeed", "g1");
        refused("read only access prevents virDomainMigrateSetMaxSpeed", "migrate-setspeed", "g1", "100");
        Virsh.Result migrate = readOnlySocket.run("migrate", "--offline", "--persistent", "g1", destination);
        assertThat(migrate.exit()).isNotZero();
        assertThat(migrate.err()).contains("operation forbidden: read only access prevents virDomainMigrate");
    }
}
