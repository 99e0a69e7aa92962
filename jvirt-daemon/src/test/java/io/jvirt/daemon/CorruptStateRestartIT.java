package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.StateReason;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A jvirtd killed with SIGKILL, its root then holding what crashes and bad disks leave: a corrupt status file, an
 * unparsable definition, and temp files of writes cut short. The next jvirtd starts, names the bad files' domains
 * in its log, sets them aside (never deletes them), serves the good domains, and finds the running guest again,
 * whole, in the same QEMU.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CorruptStateRestartIT {
    private TwoDaemons hosts;
    private Path root;

    @BeforeEach
    void makeRoot() throws Exception {
        hosts = TwoDaemons.none("jvirtd-state-");
        root = hosts.root("A");
    }

    @AfterEach
    void cleanUp() throws Exception {
        hosts.close();
    }

    @Test
    void restartAfterAKillServesTheGoodDomainsAndSetsTheBadFilesAside() throws Exception {
        Process first = hosts.startProcess("A", true, Map.of());
        VirshHost host = hosts.processHost("A");
        Virsh virsh = host.virsh();
        SerialLog log = hosts.boot(host, "g1", g -> g.memoryMiB(256).fillMiB(64));
        GuestIntegrity whole = GuestIntegrity.before(log, "g1", host.guest());
        Path spareXml = hosts.base.resolve("spare.xml");
        Files.writeString(
                spareXml,
                TwoDaemons.guestXml(
                        "spare",
                        hosts.base.resolve("spare.serial.log"),
                        g -> g.memoryMiB(256).fillMiB(64)));
        assertThat(virsh.run("define", spareXml.toString()).out()).contains("Domain 'spare' defined");

        first.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed or closed
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Path config = root.resolve("etc/qemu");
        Path run = root.resolve("run/qemu");
        String torn = "<domain type='qemu'><name>broken</name><uuid>";
        Files.writeString(config.resolve("broken.xml"), torn);
        Files.writeString(run.resolve("ghost.xml"), "<domstatus state='running' reason='booted' pid='4");
        Path tornDefinition = config.resolve(".g1.xml.tmp-" + gone.pid() + "-1");
        Path tornStatus = run.resolve(".g1.xml.tmp-" + gone.pid() + "-2");
        Files.writeString(tornDefinition, "<domain type='kvm'><na");
        Files.writeString(tornStatus, "<domstatus state='paus");

        hosts.startProcess("A", true, Map.of());
        hosts.processHost("A"); // reconnects: the host's look-ups go to the new daemon

        String list = virsh.run("list", "--all").out();
        assertThat(list).containsPattern("g1\\s+running").containsPattern("spare\\s+shut off");
        assertThat(list).doesNotContain("broken", "ghost");
        assertThat(virsh.run("domstate", "--reason", "g1").out().strip()).isEqualTo("running (booted)");
        whole.assertStayed(StateReason.RUNNING_BOOTED);

        assertThat(config.resolve("broken.xml")).doesNotExist();
        assertThat(config.resolve("broken.xml.corrupt")).hasContent(torn);
        assertThat(run.resolve("ghost.xml")).doesNotExist();
        assertThat(run.resolve("ghost.xml.corrupt")).exists();
        assertThat(tornDefinition).doesNotExist();
        assertThat(tornStatus).doesNotExist();
        assertThat(config.resolve("g1.xml")).content().contains("<name>g1</name>");
        String daemonLog = Files.readString(root.resolve("daemon.err"));
        assertThat(daemonLog)
                .contains("Failed to load config for domain 'broken'")
                .contains("Failed to load status for domain 'ghost'");

        Files.delete(run.resolve("ghost.xml.corrupt")); // what this test planted; the rest must be clean
        hosts.assertNothingStray();
        assertThat(virsh.run("destroy", "g1").out()).contains("Domain 'g1' destroyed");
        virsh.run("undefine", "g1");
        virsh.run("undefine", "spare");
        hosts.assertNothingStray();
    }
}
