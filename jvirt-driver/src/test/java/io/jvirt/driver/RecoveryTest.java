package io.jvirt.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.StateReason;
import io.jvirt.driver.domain.StatusXml;
import io.jvirt.driver.root.AtomicFiles;
import io.jvirt.driver.root.HostRoot;
import io.jvirt.testing.FakeQmp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart recovery against a scripted monitor: a status file left by an earlier driver, a stand-in process that
 * carries the domain's {@code -uuid} in its argv (so the driver's pid-reuse check accepts it), and a FakeQmp at
 * the recorded monitor path.
 */
class RecoveryTest {
    @TempDir
    Path dir;

    private Process standIn;
    private FakeQmp qmp;

    @AfterEach
    void cleanUp() throws Exception {
        if (qmp != null) {
            qmp.close();
        }
        if (standIn != null) {
            standIn.destroyForcibly();
            standIn.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private HostRoot root() throws Exception {
        return new HostRoot(dir.resolve("root")).create();
    }

    private void leaveStatus(HostRoot root, String name, UUID uuid, long pid, Path monitor, StateReason reason) throws Exception {
        String domain = "<domain type='qemu' id='3'><name>" + name + "</name><uuid>" + uuid + "</uuid>"
                + "<memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os>"
                + "</domain>";
        AtomicFiles.write(root.statusFile(name), new StatusXml(reason, pid, monitor, domain).format());
    }

    private long startStandIn(UUID uuid) throws Exception {
        standIn = new ProcessBuilder("sh", "-c", "read line", "stand-in-qemu", "-uuid", uuid.toString())
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        return standIn.pid();
    }

    @Test
    void runningQemuIsReconnectedWithItsStateAndReason() throws Exception {
        HostRoot root = root();
        UUID uuid = UUID.randomUUID();
        qmp = FakeQmp.start();
        qmp.expect("query-status").reply(Map.of("status", "running", "running", true)).repeatedly();
        leaveStatus(root, "g1", uuid, startStandIn(uuid), qmp.socketPath(), StateReason.RUNNING_MIGRATED);

        try (Connection conn = QemuDriver.open("qemu:///embed?root=" + root.dir(), root)) {
            DomainRef ref = conn.lookupByName("g1");
            assertThat(ref.id()).isEqualTo(3);
            assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_MIGRATED);
            assertThat(qmp.commandNames()).contains("query-status");
        }
        assertThat(standIn.isAlive()).as("closing the driver leaves QEMU running").isTrue();
    }

    @Test
    void stateThatChangedWhileNobodyWatchedIsReconciled() throws Exception {
        HostRoot root = root();
        UUID uuid = UUID.randomUUID();
        qmp = FakeQmp.start();
        qmp.expect("query-status").reply(Map.of("status", "paused", "running", false)).repeatedly();
        leaveStatus(root, "g2", uuid, startStandIn(uuid), qmp.socketPath(), StateReason.RUNNING_BOOTED);

        try (Connection conn = QemuDriver.open("qemu:///embed?root=" + root.dir(), root)) {
            assertThat(conn.state(conn.lookupByName("g2")).reason()).isEqualTo(StateReason.PAUSED_UNKNOWN);
        }
        assertThat(Files.readString(root.statusFile("g2"))).contains("state='paused' reason='unknown'");
    }

    @Test
    void deadQemuIsReportedCrashedAndItsStatusFileRemoved() throws Exception {
        HostRoot root = root();
        UUID uuid = UUID.randomUUID();
        long pid = startStandIn(uuid);
        standIn.destroyForcibly();
        standIn.waitFor(10, TimeUnit.SECONDS);
        Files.writeString(root.configFile("g3"), "<domain type='qemu'><name>g3</name><uuid>" + uuid + "</uuid>"
                + "<memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>");
        leaveStatus(root, "g3", uuid, pid, dir.resolve("gone.sock"), StateReason.RUNNING_BOOTED);

        try (Connection conn = QemuDriver.open("qemu:///embed?root=" + root.dir(), root)) {
            DomainRef ref = conn.lookupByName("g3");
            assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_CRASHED);
            assertThat(ref.id()).isEqualTo(-1);
        }
        assertThat(root.statusFile("g3")).doesNotExist();
        try (Connection conn = QemuDriver.open("qemu:///embed?root=" + root.dir(), root)) {
            assertThat(conn.state(conn.lookupByName("g3")).reason()).isEqualTo(StateReason.SHUTOFF_CRASHED);
        }
    }

    @Test
    void pidReusedByAnotherProcessIsNotTakenForTheQemu() throws Exception {
        HostRoot root = root();
        UUID uuid = UUID.randomUUID();
        long otherPid = startStandIn(UUID.randomUUID());
        leaveStatus(root, "g4", uuid, otherPid, dir.resolve("gone.sock"), StateReason.RUNNING_BOOTED);

        try (Connection conn = QemuDriver.open("qemu:///embed?root=" + root.dir(), root)) {
            assertThat(conn.listAllDomains(0)).isEmpty(); // transient and gone
        }
        assertThat(standIn.isAlive()).as("an unrelated process is never signalled").isTrue();
    }

    @Test
    void guestPowerOffIsAShutdown() throws Exception {
        HostRoot root = root();
        UUID uuid = UUID.randomUUID();
        qmp = FakeQmp.start();
        qmp.expect("query-status").reply(Map.of("status", "running", "running", true)).repeatedly();
        leaveStatus(root, "g5", uuid, startStandIn(uuid), qmp.socketPath(), StateReason.RUNNING_BOOTED);
        Files.writeString(root.configFile("g5"), "<domain type='qemu'><name>g5</name><uuid>" + uuid + "</uuid>"
                + "<memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>");

        try (Connection conn = QemuDriver.open("qemu:///embed?root=" + root.dir(), root)) {
            DomainRef ref = conn.lookupByName("g5");
            qmp.emit("SHUTDOWN", Map.of("guest", true, "reason", "guest-shutdown"));
            await().atMost(Duration.ofSeconds(15)).until(() -> !conn.isActive(ref));
            assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_SHUTDOWN);
            assertThat(standIn.isAlive()).as("the driver ends the QEMU of a powered-off guest").isFalse();
        }
        assertThat(root.statusFile("g5")).doesNotExist();
    }

    @Test
    void monitorEofWithoutShutdownIsACrash() throws Exception {
        HostRoot root = root();
        UUID uuid = UUID.randomUUID();
        qmp = FakeQmp.start();
        qmp.expect("query-status").reply(Map.of("status", "running", "running", true)).repeatedly();
        leaveStatus(root, "g6", uuid, startStandIn(uuid), qmp.socketPath(), StateReason.RUNNING_BOOTED);
        Files.writeString(root.configFile("g6"), "<domain type='qemu'><name>g6</name><uuid>" + uuid + "</uuid>"
                + "<memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>");

        try (Connection conn = QemuDriver.open("qemu:///embed?root=" + root.dir(), root)) {
            DomainRef ref = conn.lookupByName("g6");
            qmp.dropConnection();
            await().atMost(Duration.ofSeconds(15)).until(() -> !conn.isActive(ref));
            assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_CRASHED);
        }
        assertThat(root.statusFile("g6")).doesNotExist();
    }
}
