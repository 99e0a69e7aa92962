package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.CreateFlags;
import io.jvirt.api.DeviceModifyFlags;
import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.root.SecuritySettings;
import io.jvirt.driver.security.OwnerRecords;
import io.jvirt.driver.security.QemuAccount;
import io.jvirt.guest.SerialLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * QEMU confined as libvirt's DAC driver confines it, on real QEMU with jvirt.conf's defaults (user and group
 * {@code jvirt-qemu}, seccomp sandbox on): one boot of the test guest for the class, with a qcow2 disk over a
 * backing file and a raw disk it shares with a second, paused guest. The QEMU process runs as the account with no
 * capabilities, in seccomp filter mode and a process group of its own; the guest's writable files belong to the
 * account while it runs (a world-readable backing file stays root's) and go back to their original owner when it
 * stops; the shared disk stays the account's until the last guest using it stops, also when that guest ended while
 * no driver watched; a disk whose owner cannot be changed fails the start with libvirt's error naming the file.
 * Needs root and the account, as CI has (scripts/install-prereqs).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(NoStrayQemu.class)
class ConfinementIT implements NoStrayQemu.Accounted {
    private static final String GUEST = "conf1";
    private static final String SHARER = "conf2";
    /** Original owner of the guest's disks: not root, so giving back is seen to restore, not reset. */
    private static final int OWNER_UID = 4242;

    private static final int OWNER_GID = 4243;

    private final QemuAccount account = QemuAccount.resolve(SecuritySettings.DEFAULT);
    private final OwnerRecords records = new OwnerRecords(OwnerRecords.SYSTEM_DIR);
    private TestHost host;
    private Connection conn;
    private Path images;
    private DomainRef ref;
    private Path immutable;

    @BeforeAll
    void setUp() throws Exception {
        assertThat(account.confined()).as("jvirt-qemu exists and we are root").isTrue();
        host = new TestHost("confine");
        images = Files.createDirectories(host.root().resolve("images"));
        run("qemu-img", "create", "-q", "-f", "qcow2", path("base.qcow2"), "16M");
        run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", "base.qcow2", path("top.qcow2"));
        run("qemu-img", "create", "-q", "-f", "raw", path("shared.raw"), "8M");
        for (String image : List.of("top.qcow2", "shared.raw")) {
            Files.setAttribute(images.resolve(image), "unix:uid", OWNER_UID);
            Files.setAttribute(images.resolve(image), "unix:gid", OWNER_GID);
        }
        conn = host.open();
        String xml = host.guest(GUEST)
                .memoryMiB(192)
                .toXml()
                .replace("    <memballoon", disk("top.qcow2", "qcow2", "vda") + shared("vdb") + "    <memballoon");
        ref = conn.defineXml(xml);
        SerialLog serial = host.serial(GUEST);
        conn.create(ref, 0);
        await().atMost(TestHost.BOOT).until(() -> serial.boots() > 0);
    }

    @AfterAll
    void tearDown() throws Exception {
        try {
            if (immutable != null) {
                run("chattr", "-i", immutable.toString());
            }
            if (conn != null) {
                for (DomainRef d : conn.listAllDomains(0)) {
                    if (d.isActive()) {
                        conn.destroy(d, 0);
                    }
                }
                conn.close();
            }
        } finally {
            host.close();
        }
    }

    @Override
    public void assertNoStrayQemu() throws Exception {
        host.assertNoStrayQemu(conn);
    }

    @Test
    @Order(1)
    void qemuRunsAsTheAccountWithoutCapabilitiesInSeccompMode() throws Exception {
        long pid = host.recordedPid(GUEST);
        Map<String, String> status = procStatus(pid);

        String uid = Integer.toString(account.uid());
        String gid = Integer.toString(account.gid());
        assertThat(status.get("Uid").split("\\s+")).containsOnly(uid);
        assertThat(status.get("Gid").split("\\s+")).containsOnly(gid);
        assertThat(status.get("CapEff")).isEqualTo("0000000000000000");
        assertThat(status.get("CapPrm")).isEqualTo("0000000000000000");
        assertThat(status.get("CapBnd")).isEqualTo("0000000000000000");
        assertThat(status.get("Seccomp")).as("seccomp filter mode").isEqualTo("2");
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        assertThat(afterName[2]).as("process group").isEqualTo(Long.toString(pid));
        assertThat(String.join(" ", io.jvirt.driver.process.ProcessInspector.commandLine(pid)))
                .contains("-sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny");
    }

    @Test
    @Order(2)
    void theGuestsFilesBelongToTheAccountWhileItRuns() throws Exception {
        assertThat(owner(images.resolve("top.qcow2"))).isEqualTo(account.owner());
        assertThat(owner(images.resolve("shared.raw"))).isEqualTo(account.owner());
        assertThat(owner(host.serialFile(GUEST))).isEqualTo(account.owner());
        assertThat(owner(host.root().resolve("run/qemu/" + GUEST))).isEqualTo(account.owner());
        assertThat(owner(host.root().resolve("run/qemu/" + GUEST + "/monitor"))).isEqualTo(account.owner());
        // Only read, and readable by everyone: left as it was.
        assertThat(owner(images.resolve("base.qcow2"))).isEqualTo("0:0");
        assertThat(records.refs(images.resolve("top.qcow2").toRealPath())).isEqualTo(1);
    }

    @Test
    @Order(3)
    void aHotPluggedDiskIsTheAccountsUntilItIsUnplugged() throws Exception {
        run("qemu-img", "create", "-q", "-f", "qcow2", path("plugged.qcow2"), "8M");
        Path plugged = images.resolve("plugged.qcow2");
        Files.setAttribute(plugged, "unix:uid", OWNER_UID);
        Files.setAttribute(plugged, "unix:gid", OWNER_GID);
        String xml = disk("plugged.qcow2", "qcow2", "vdc");

        conn.attachDevice(ref, xml, DeviceModifyFlags.LIVE);

        assertThat(owner(plugged)).isEqualTo(account.owner());
        assertThat(records.refs(plugged.toRealPath())).isEqualTo(1);

        conn.detachDevice(ref, xml, DeviceModifyFlags.LIVE);

        // The guest may take its time to let go; the images go back when QEMU reports the device gone.
        await().atMost(Duration.ofSeconds(60)).until(() -> !conn.xmlDesc(ref, 0).contains("plugged.qcow2"));
        assertThat(owner(plugged)).isEqualTo(OWNER_UID + ":" + OWNER_GID);
        assertThat(records.refs(plugged.toRealPath())).isZero();
        assertThat(owner(images.resolve("top.qcow2")))
                .as("the other disks stay given")
                .isEqualTo(account.owner());
    }

    @Test
    @Order(4)
    void aSharedDiskStaysTheAccountsUntilTheLastGuestStops() throws Exception {
        DomainRef sharer = conn.defineXml(host.guest(SHARER)
                .memoryMiB(128)
                .fillMiB(16)
                .toXml()
                .replace("    <memballoon", shared("vda") + "    <memballoon"));
        conn.create(sharer, CreateFlags.START_PAUSED);
        Path shared = images.resolve("shared.raw").toRealPath();
        assertThat(records.refs(shared)).isEqualTo(2);

        conn.destroy(sharer, 0);

        assertThat(records.refs(shared)).isEqualTo(1);
        assertThat(owner(shared)).as("the running guest still uses it").isEqualTo(account.owner());
        assertThat(owner(host.serialFile(SHARER)))
                .as("the stopped guest's serial file")
                .isEqualTo("0:0");
    }

    @Test
    @Order(5)
    void aRestartedDriverGivesBackTheFilesOfAGuestThatEndedMeanwhile() throws Exception {
        DomainRef sharer = conn.lookupByName(SHARER);
        conn.create(sharer, CreateFlags.START_PAUSED);
        long pid = host.recordedPid(SHARER);
        Path shared = images.resolve("shared.raw").toRealPath();
        assertThat(records.refs(shared)).isEqualTo(2);
        conn.close();
        conn = null;
        ProcessHandle qemu = ProcessHandle.of(pid).orElseThrow();
        qemu.destroyForcibly();
        qemu.onExit().get(10, TimeUnit.SECONDS);

        conn = host.open();

        assertThat(conn.isActive(conn.lookupByName(SHARER))).isFalse();
        assertThat(records.refs(shared)).isEqualTo(1);
        assertThat(owner(host.serialFile(SHARER))).isEqualTo("0:0");
        assertThat(host.root().resolve("run/qemu/" + SHARER)).doesNotExist();
        assertThat(conn.isActive(ref)).as("the other guest kept running").isTrue();
    }

    @Test
    @Order(6)
    void aDiskTheAccountCannotBeGivenFailsTheStartNamingTheFile() throws Exception {
        immutable = images.resolve("immutable.raw");
        run("qemu-img", "create", "-q", "-f", "raw", immutable.toString(), "8M");
        run("chattr", "+i", immutable.toString());
        DomainRef other = conn.defineXml(host.guest("conf3")
                .memoryMiB(128)
                .fillMiB(16)
                .toXml()
                .replace("    <memballoon", disk("immutable.raw", "raw", "vda") + "    <memballoon"));

        VirtException e = catchThrowableOfType(VirtException.class, () -> conn.create(other, 0));

        assertThat(e.code()).isEqualTo(ErrorCode.SYSTEM_ERROR);
        assertThat(e.domain()).isEqualTo(ErrorDomain.SECURITY);
        assertThat(e.getMessage())
                .isEqualTo("unable to set user and group to '" + account.owner() + "' on '" + immutable
                        + "': Operation not permitted");
        assertThat(conn.isActive(other)).isFalse();
        assertThat(records.refs(immutable)).isZero();
        assertThat(host.root().resolve("run/qemu/conf3.dac"))
                .as("nothing left given")
                .doesNotExist();
        assertThat(host.root().resolve("run/qemu/conf3")).doesNotExist();
    }

    @Test
    @Order(7)
    void theFilesGoBackToTheirOwnersWhenTheGuestStops() throws Exception {
        conn.destroy(ref, 0);

        String original = OWNER_UID + ":" + OWNER_GID;
        assertThat(owner(images.resolve("top.qcow2"))).isEqualTo(original);
        assertThat(owner(images.resolve("shared.raw"))).isEqualTo(original);
        assertThat(owner(host.serialFile(GUEST))).isEqualTo("0:0");
        assertThat(records.refs(images.resolve("shared.raw").toRealPath())).isZero();
        assertThat(host.root().resolve("run/qemu/" + GUEST)).doesNotExist();
        assertThat(host.root().resolve("run/qemu/" + GUEST + ".dac")).doesNotExist();
    }

    private String path(String image) {
        return images.resolve(image).toString();
    }

    private String disk(String image, String format, String dev) {
        return "    <disk type='file' device='disk'>\n"
                + "      <driver name='qemu' type='" + format + "'/>\n"
                + "      <source file='" + images.resolve(image) + "'/>\n"
                + "      <target dev='" + dev + "' bus='virtio'/>\n"
                + "    </disk>\n";
    }

    private String shared(String dev) {
        return "    <disk type='file' device='disk'>\n"
                + "      <driver name='qemu' type='raw'/>\n"
                + "      <source file='" + images.resolve("shared.raw") + "'/>\n"
                + "      <target dev='" + dev + "' bus='virtio'/>\n"
                + "      <shareable/>\n"
                + "    </disk>\n";
    }

    private static String owner(Path file) throws IOException {
        return Files.getAttribute(file, "unix:uid") + ":" + Files.getAttribute(file, "unix:gid");
    }

    private static Map<String, String> procStatus(long pid) throws IOException {
        Map<String, String> out = new java.util.HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return out;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd)))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }
}
