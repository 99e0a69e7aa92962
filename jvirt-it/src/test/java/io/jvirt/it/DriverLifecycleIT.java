package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainState;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import io.jvirt.driver.process.ProcessInspector;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.GuestTick;
import io.jvirt.guest.SerialLog;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The QEMU driver on real QEMU with the test guest: one guest walks through the lifecycle in order (boots are
 * the slow part, so the class reuses them), with a fresh driver opened on the same root where a restart is part
 * of the story.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
@ExtendWith(NoStrayQemu.class)
class DriverLifecycleIT implements NoStrayQemu.Accounted {
    private static final String GUEST = "life1";
    private static final Duration TICK = Duration.ofSeconds(20);

    private TestHost host;
    private Connection conn;
    private SerialLog serial;

    @BeforeAll
    void setUp() throws Exception {
        host = new TestHost("lifecycle");
        serial = host.serial(GUEST);
        conn = host.open();
    }

    @AfterEach
    void reopenIfClosed() {
        if (conn == null) {
            conn = host.open();
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        if (conn != null) {
            conn.close();
        }
        host.close();
    }

    private DomainRef guest() {
        return conn.lookupByName(GUEST);
    }

    @Override
    public void assertNoStrayQemu() throws Exception {
        if (conn != null) {
            host.assertNoStrayQemu(conn);
            return;
        }
        try (Connection c = host.open()) {
            host.assertNoStrayQemu(c);
        }
    }

    /** The integrity check of the guest as it runs now; the test's own reboot (test 25) is the second start. */
    private GuestIntegrity check(Connection c) {
        return GuestIntegrity.before(serial, GUEST, host.guestHost("host", c)).expectingBoots(serial.boots());
    }

    /** Starts the guest and waits for the first tick of this boot (the serial log is appended across boots). */
    private GuestTick bootAndAwaitTicks(DomainRef ref) {
        long t0 = System.nanoTime();
        int bootsBefore = serial.boots();
        conn.create(ref, 0);
        await().atMost(TestHost.BOOT).until(() -> serial.boots() > bootsBefore);
        GuestTick first = serial.awaitTickAfter(-1, TestHost.BOOT);
        System.out.printf("[it] %s booted to first tick in %d ms%n", GUEST, (System.nanoTime() - t0) / 1_000_000);
        assertThat(first.patternOk()).isTrue();
        return first;
    }

    @Test
    @Order(10)
    void definedGuestStartsRunningBootedAndTicks() throws Exception {
        DomainRef ref = conn.defineXml(host.guest(GUEST).toXml());
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_UNKNOWN);
        assertThat(conn.isPersistent(ref)).isTrue();

        bootAndAwaitTicks(ref);

        assertThat(conn.state(guest()).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
        assertThat(guest().id()).isPositive();
        GuestTick a = serial.latest().orElseThrow();
        GuestTick b = serial.awaitTickAfter(a.tick() + 2, TICK);
        assertThat(b.uptimeMs()).isGreaterThan(a.uptimeMs());
        assertThat(b.patternOk()).isTrue();
        assertThat(Files.exists(host.statusFile(GUEST))).isTrue();
        assertThat(conn.info(guest()).cpuTimeNs()).isPositive();
    }

    @Test
    @Order(20)
    void suspendStopsTicksAndResumeContinuesThem() {
        GuestIntegrity check = check(conn);
        conn.suspend(guest());
        assertThat(conn.state(guest()).reason()).isEqualTo(StateReason.PAUSED_USER);
        long frozen = serial.latest().orElseThrow().tick();
        // Paused for three tick periods: no new tick may appear.
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> serial.latest().orElseThrow().tick() == frozen);

        conn.resume(guest());
        assertThat(conn.state(guest()).reason()).isEqualTo(StateReason.RUNNING_UNPAUSED);
        GuestTick next = serial.awaitTickAfter(frozen, TICK);
        assertThat(next.tick()).isEqualTo(frozen + 1);
        check.assertStayed(StateReason.RUNNING_UNPAUSED);
    }

    @Test
    @Order(25)
    void rebootRestartsTheGuestAndKeepsItRunning() {
        int boots = serial.boots();
        long pid = pidOf();
        conn.reboot(guest(), 0);
        await().atMost(TestHost.BOOT).until(() -> serial.boots() > boots);
        GuestTick first = serial.awaitTickAfter(-1, TestHost.BOOT);
        assertThat(first.patternOk()).isTrue();
        assertThat(conn.state(guest()).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
        assertThat(pidOf()).as("a reboot keeps the same QEMU").isEqualTo(pid);
    }

    @Test
    @Order(30)
    void aNewDriverOnTheSameRootFindsTheRunningGuestAndASecondOpenerIsRefused() {
        long pid = pidOf();
        StateReason before = conn.state(guest()).reason();
        assertThat(before.state()).isEqualTo(DomainState.RUNNING);
        GuestIntegrity check = check(conn);
        conn.close();
        conn = null;

        try (Connection again = host.open()) {
            assertThatThrownBy(host::open)
                    .isInstanceOfSatisfying(
                            VirtException.class,
                            e -> assertThat(e.getMessage())
                                    .contains("is in use by pid "
                                            + ProcessHandle.current().pid()));
            DomainRef ref = again.lookupByName(GUEST);
            assertThat(again.state(ref).reason()).isEqualTo(before);
            assertThat(pidOf()).isEqualTo(pid);
            // The new driver took over the guest's QEMU as it was: same pid, the guest whole.
            check.assertStayed(host.guestHost("host", again), before);
            // The reconnected monitor works: a state change goes through it.
            again.suspend(ref);
            assertThat(again.state(ref).reason()).isEqualTo(StateReason.PAUSED_USER);
        }
        try (Connection third = host.open()) {
            DomainRef ref = third.lookupByName(GUEST);
            assertThat(third.state(ref).reason()).isEqualTo(StateReason.PAUSED_USER);
            third.resume(ref);
            check.assertStayed(host.guestHost("host", third), StateReason.RUNNING_UNPAUSED);
        }
    }

    @Test
    @Order(40)
    void destroyLeavesShutOffDestroyedWhichSurvivesARestart() throws Exception {
        long pid = pidOf();
        conn.destroy(guest(), 0);
        assertThat(conn.state(guest()).reason()).isEqualTo(StateReason.SHUTOFF_DESTROYED);
        assertThat(guest().id()).isEqualTo(-1);
        assertThat(ProcessInspector.isAlive(pid)).isFalse();
        assertThat(Files.exists(host.statusFile(GUEST))).isFalse();

        conn.close();
        conn = host.open();
        assertThat(conn.state(guest()).reason()).isEqualTo(StateReason.SHUTOFF_DESTROYED);
    }

    @Test
    @Order(50)
    void qemuKilledFromOutsideIsReportedCrashed() throws Exception {
        bootAndAwaitTicks(guest());
        long pid = pidOf();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(10)).until(() -> conn.state(guest()).state() == DomainState.SHUTOFF);
        assertThat(conn.state(guest()).reason()).isEqualTo(StateReason.SHUTOFF_CRASHED);
        assertThat(Files.exists(host.statusFile(GUEST))).isFalse();
    }

    @Test
    @Order(60)
    void qemuThatDiedWhileNoDriverWatchedIsReportedCrashedOnReopen() throws Exception {
        bootAndAwaitTicks(guest());
        long pid = pidOf();
        conn.close();
        conn = null;
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
        h.destroyForcibly();
        h.onExit().get();

        conn = host.open();
        assertThat(conn.state(guest()).reason()).isEqualTo(StateReason.SHUTOFF_CRASHED);
        assertThat(Files.exists(host.statusFile(GUEST))).isFalse();
    }

    @Test
    @Order(70)
    void gracefulShutdownEndsShutOffShutdown() throws Exception {
        bootAndAwaitTicks(guest());
        serial.awaitReady(TestHost.BOOT);
        long pid = pidOf();
        conn.shutdown(guest(), 0);
        assertThat(conn.awaitShutoff(guest(), 60_000).reason()).isEqualTo(StateReason.SHUTOFF_SHUTDOWN);
        assertThat(ProcessInspector.isAlive(pid)).isFalse();
        assertThat(Files.exists(host.statusFile(GUEST))).isFalse();
    }

    @Test
    @Order(80)
    void badXmlAndUnknownDomainsGiveClearErrorsAndChangeNothing() {
        List<DomainRef> before = conn.listAllDomains(0);
        assertThatThrownBy(() -> conn.defineXml("<domain type='qemu'><name>broken</name>"))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.XML_DETAIL));
        assertThatThrownBy(
                        () -> conn.defineXml(
                                "<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain type='qemu'><name>&x;</name></domain>"))
                .isInstanceOf(VirtException.class);
        assertThatThrownBy(() -> conn.lookupByName("no-such-guest")).isInstanceOfSatisfying(VirtException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NO_DOMAIN);
            assertThat(e.getMessage()).contains("no-such-guest");
        });
        assertThatThrownBy(() -> conn.suspend(guest()))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_INVALID));
        assertThat(conn.listAllDomains(0)).isEqualTo(before);
        assertThat(conn.state(guest()).reason()).isEqualTo(StateReason.SHUTOFF_SHUTDOWN);
    }

    @Test
    @Order(90)
    void autostartStartsTheGuestOncePerHostBoot() throws Exception {
        conn.setAutostart(guest(), true);
        conn.close();
        conn = null;
        // A new host boot: the marker that records this boot's autostart is gone.
        Files.deleteIfExists(host.root().resolve("run/autostarted"));
        int boots = serial.boots();

        conn = host.open();
        assertThat(conn.state(guest()).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
        await().atMost(TestHost.BOOT).until(() -> serial.boots() > boots);
        assertThat(serial.awaitTickAfter(-1, TestHost.BOOT).patternOk()).isTrue();

        conn.destroy(guest(), 0);
        conn.close();
        conn = host.open();
        assertThat(conn.state(guest()).reason())
                .as("the same boot does not autostart twice")
                .isEqualTo(StateReason.SHUTOFF_DESTROYED);
    }

    private long pidOf() {
        try {
            return host.recordedPid(GUEST);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
