package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.guest.GuestDisk;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code virsh domstats} field names of jvirtd against Debian's libvirtd 11.3 ({@link PrivateLibvirtd}): the same
 * guest (a raw disk, a tap NIC, a virtio balloon) booted on each, every field jvirtd reports for the groups it
 * supports is one libvirtd reports too.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatsLibvirtParityIT {
    private static final String[] GROUPS = {"--state", "--cpu-total", "--balloon", "--vcpu", "--interface", "--block"};

    private TwoDaemons hosts;
    private PrivateLibvirtd libvirtd;
    private Virsh jvirt;
    private Virsh libvirt;

    @BeforeAll
    void boot() throws Exception {
        hosts = TwoDaemons.none("jvirtd-stats-parity-");
        VirshHost j = hosts.startInJvm("J", TwoDaemons::config);
        hosts.daemon(j).awaitReady();
        jvirt = j.virsh();
        libvirtd = PrivateLibvirtd.start(
                hosts.root("L"), 52000 + 64 * ThreadLocalRandom.current().nextInt(50));
        libvirt = libvirtd.host("L").virsh();
        bootOn(jvirt, "gj");
        bootOn(libvirt, "gl");
    }

    private void bootOn(Virsh on, String name) throws Exception {
        Path image = hosts.base.resolve(name + ".raw");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        GuestBoot.boot(
                on,
                hosts.base,
                name,
                serial -> TwoDaemons.guestXml(
                                name, serial, g -> g.memoryMiB(192).fillMiB(32).disk(GuestDisk.file(image)))
                        .replace("<memballoon model='none'/>", "<memballoon model='virtio'/>")
                        .replace(
                                "</devices>",
                                "<interface type='ethernet'><model type='virtio'/></interface></devices>"));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (jvirt != null) {
                jvirt.run("destroy", "gj");
                jvirt.run("undefine", "gj");
            }
        } finally {
            try {
                if (libvirtd != null) {
                    libvirtd.close();
                }
            } finally {
                if (hosts != null) {
                    hosts.close();
                }
            }
        }
    }

    private static Set<String> fields(Virsh on, String name) throws Exception {
        String[] args = new String[GROUPS.length + 2];
        args[0] = "domstats";
        args[1] = name;
        System.arraycopy(GROUPS, 0, args, 2, GROUPS.length);
        Virsh.Result r = on.run(args);
        assertThat(r.exit()).as(r.all()).isZero();
        Set<String> out = new TreeSet<>();
        for (String line : r.out().lines().toList()) {
            int eq = line.indexOf('=');
            if (line.startsWith("  ") && eq > 0) {
                out.add(line.substring(0, eq).strip());
            }
        }
        return out;
    }

    /** Without cgroups (as the fixture runs libvirtd, and as jvirtd always runs) there are no scheduler tunables. */
    @Test
    void schedinfoFailsAsLibvirtdWithoutCgroups() throws Exception {
        Virsh.Result ours = jvirt.run("schedinfo", "gj");
        Virsh.Result theirs = libvirt.run("schedinfo", "gl");
        assertThat(theirs.exit()).as(theirs.all()).isNotZero();
        assertThat(ours.exit()).isNotZero();
        assertThat(ours.err()).isEqualTo(theirs.err().replace("'gl'", "'gj'"));
    }

    @Test
    void jvirtdsFieldNamesAreLibvirtds() throws Exception {
        Set<String> ours = fields(jvirt, "gj");
        Set<String> theirs = fields(libvirt, "gl");
        Set<String> onlyTheirs = new TreeSet<>(theirs);
        onlyTheirs.removeAll(ours);
        System.out.println("[it] domstats fields libvirtd 11.3 reports and jvirtd does not: " + onlyTheirs);
        assertThat(theirs).as("libvirtd's fields").containsAll(ours);
        assertThat(ours)
                .contains("state.state", "balloon.current", "vcpu.0.time", "block.0.rd.bytes", "net.0.rx.bytes");
    }
}
