package io.jvirt.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import io.jvirt.driver.root.HostRoot;
import io.jvirt.testing.FakeQmp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** State changes of a running domain against a scripted monitor: what is sent to QEMU and what state results. */
class LifecycleTest {
    @TempDir
    Path dir;

    private FakeQmp qmp;
    private StandInQemu qemu;
    private HostRoot root;
    private Connection conn;
    private DomainRef ref;

    @BeforeEach
    void reconnect() throws Exception {
        root = new HostRoot(dir.resolve("root")).create();
        qmp = FakeQmp.start();
        qmp.expect("query-status").reply(Map.of("status", "running", "running", true));
        qemu = new StandInQemu("g1").define(root).leaveStatus(root, qmp.socketPath(), StateReason.RUNNING_BOOTED);
        conn = QemuDriver.open("qemu:///embed?root=" + root.dir(), root);
        ref = conn.lookupByName("g1");
    }

    @AfterEach
    void tearDown() throws Exception {
        conn.close();
        qmp.close();
        qemu.close();
    }

    @Test
    void suspendSendsStopAndRecordsPausedUserInTheStatusFile() throws Exception {
        conn.suspend(ref);
        assertThat(qmp.commandNames()).endsWith("stop");
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.PAUSED_USER);
        assertThat(Files.readString(root.statusFile("g1"))).contains("state='paused' reason='user'");

        conn.suspend(ref); // already paused: nothing more is sent
        assertThat(qmp.commandNames().stream().filter("stop"::equals)).hasSize(1);

        conn.resume(ref);
        assertThat(qmp.commandNames()).endsWith("cont");
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_UNPAUSED);
    }

    @Test
    void resumingARunningDomainIsRefusedLikeLibvirt() {
        assertThatThrownBy(() -> conn.resume(ref)).isInstanceOfSatisfying(VirtException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_INVALID);
            assertThat(e.getMessage()).contains("already running");
        });
        assertThat(qmp.commandNames()).doesNotContain("cont");
    }

    @Test
    void qemuErrorLeavesTheStateAsItWas() throws Exception {
        qmp.expect("stop").replyError("GenericError", "cannot stop now");
        assertThatThrownBy(() -> conn.suspend(ref))
                .isInstanceOfSatisfying(
                        VirtException.class,
                        e -> assertThat(e.getMessage())
                                .contains("cannot stop now")
                                .contains("stop"));
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
        assertThat(Files.readString(root.statusFile("g1"))).contains("state='running' reason='booted'");
    }

    @Test
    void pauseThatQemuDecidedItselfIsFollowed() throws Exception {
        qmp.emit("STOP", Map.of());
        org.awaitility.Awaitility.await().until(() -> conn.state(ref).reason() == StateReason.PAUSED_UNKNOWN);
        qmp.emit("RESUME", Map.of());
        org.awaitility.Awaitility.await().until(() -> conn.state(ref).reason() == StateReason.RUNNING_UNPAUSED);
    }

    @Test
    void destroyEndsTheProcessAndKeepsTheReason() throws Exception {
        conn.destroy(ref, 0);
        assertThat(qemu.process.isAlive()).isFalse();
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_DESTROYED);
        assertThat(root.statusFile("g1")).doesNotExist();
        assertThat(Files.readString(root.lastStateFile("g1"))).contains("reason='destroyed'");
        assertThatThrownBy(() -> conn.destroy(ref, 0))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_INVALID));
    }

    @Test
    void powerdownAndResetGoToQemu() throws Exception {
        conn.shutdown(ref, 0);
        conn.reset(ref, 0);
        assertThat(qmp.commandNames()).contains("system_powerdown", "system_reset");
        assertThat(conn.isActive(ref)).isTrue();
    }

    @Test
    void rebootResetsAndContinuesInsteadOfEndingWhenTheGuestPowersOff() throws Exception {
        conn.reboot(ref, 0);
        qmp.emit("SHUTDOWN", Map.of("guest", true, "reason", "guest-shutdown"));
        qmp.awaitCommand("cont", java.time.Duration.ofSeconds(10));
        assertThat(qmp.commandNames()).containsSubsequence("system_powerdown", "system_reset", "cont");
        assertThat(qemu.process.isAlive()).isTrue();
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
    }
}
