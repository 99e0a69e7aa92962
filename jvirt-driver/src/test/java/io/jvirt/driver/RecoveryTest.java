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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restart recovery: what a driver opening a root makes of the status files an earlier driver left. */
class RecoveryTest {
    @TempDir
    Path dir;

    private HostRoot root;
    private FakeQmp qmp;
    private StandInQemu qemu;

    @BeforeEach
    void setUp() throws Exception {
        root = new HostRoot(dir.resolve("root")).create();
        qmp = FakeQmp.start();
    }

    @AfterEach
    void cleanUp() throws Exception {
        qmp.close();
        if (qemu != null) {
            qemu.close();
        }
    }

    private Connection open() {
        return QemuDriver.open("qemu:///embed?root=" + root.dir(), root);
    }

    private void qemuReports(String status, boolean running) {
        qmp.expect("query-status")
                .reply(Map.of("status", status, "running", running))
                .repeatedly();
    }

    @Test
    void runningQemuIsReconnectedWithItsStateAndReason() throws Exception {
        qemuReports("running", true);
        qemu = new StandInQemu("g1").leaveStatus(root, qmp.socketPath(), StateReason.RUNNING_MIGRATED);

        try (Connection conn = open()) {
            DomainRef ref = conn.lookupByName("g1");
            assertThat(ref.id()).isEqualTo(3);
            assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_MIGRATED);
            assertThat(qmp.commandNames()).contains("query-status");
        }
        assertThat(qemu.process.isAlive())
                .as("closing the driver leaves QEMU running")
                .isTrue();
    }

    @Test
    void stateThatChangedWhileNobodyWatchedIsReconciled() throws Exception {
        qemuReports("paused", false);
        qemu = new StandInQemu("g2").leaveStatus(root, qmp.socketPath(), StateReason.RUNNING_BOOTED);

        try (Connection conn = open()) {
            assertThat(conn.state(conn.lookupByName("g2")).reason()).isEqualTo(StateReason.PAUSED_UNKNOWN);
        }
        assertThat(Files.readString(root.statusFile("g2"))).contains("state='paused' reason='unknown'");
    }

    @Test
    void deadQemuIsReportedCrashedAndItsStatusFileRemoved() throws Exception {
        qemu = new StandInQemu("g3")
                .define(root)
                .leaveStatus(root, dir.resolve("gone.sock"), StateReason.RUNNING_BOOTED);
        qemu.kill();

        try (Connection conn = open()) {
            DomainRef ref = conn.lookupByName("g3");
            assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_CRASHED);
            assertThat(ref.id()).isEqualTo(-1);
        }
        assertThat(root.statusFile("g3")).doesNotExist();
        try (Connection conn = open()) {
            assertThat(conn.state(conn.lookupByName("g3")).reason()).isEqualTo(StateReason.SHUTOFF_CRASHED);
        }
    }

    @Test
    void pidReusedByAnotherProcessIsNotTakenForTheQemu() throws Exception {
        qemu = new StandInQemu("g4");
        StandInQemu other = new StandInQemu("g4");
        try (other) {
            // The status file names the domain of `qemu` but the pid of an unrelated process.
            AtomicFiles.write(
                    root.statusFile("g4"),
                    new StatusXml(
                                    StateReason.RUNNING_BOOTED,
                                    other.process.pid(),
                                    dir.resolve("gone.sock"),
                                    false,
                                    qemu.domainXml(3))
                            .format());
            try (Connection conn = open()) {
                assertThat(conn.listAllDomains(0)).isEmpty(); // transient, and its QEMU is gone
            }
            assertThat(other.process.isAlive())
                    .as("an unrelated process is never signalled")
                    .isTrue();
        }
    }

    @Test
    void guestPowerOffIsAShutdown() throws Exception {
        qemuReports("running", true);
        qemu = new StandInQemu("g5").define(root).leaveStatus(root, qmp.socketPath(), StateReason.RUNNING_BOOTED);

        try (Connection conn = open()) {
            DomainRef ref = conn.lookupByName("g5");
            qmp.emit("SHUTDOWN", Map.of("guest", true, "reason", "guest-shutdown"));
            await().atMost(Duration.ofSeconds(15)).until(() -> !conn.isActive(ref));
            assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_SHUTDOWN);
            assertThat(qemu.process.isAlive())
                    .as("the driver ends the QEMU of a powered-off guest")
                    .isFalse();
        }
        assertThat(root.statusFile("g5")).doesNotExist();
    }

    @Test
    void guestThatPoweredOffWhileNobodyWatchedIsShutOffOnReopen() throws Exception {
        qemuReports("shutdown", false);
        qemu = new StandInQemu("g7").define(root).leaveStatus(root, qmp.socketPath(), StateReason.RUNNING_BOOTED);

        try (Connection conn = open()) {
            assertThat(conn.state(conn.lookupByName("g7")).reason()).isEqualTo(StateReason.SHUTOFF_SHUTDOWN);
        }
        assertThat(qemu.process.isAlive()).isFalse();
    }

    @Test
    void monitorEofWithoutShutdownIsACrash() throws Exception {
        qemuReports("running", true);
        qemu = new StandInQemu("g6").define(root).leaveStatus(root, qmp.socketPath(), StateReason.RUNNING_BOOTED);

        try (Connection conn = open()) {
            DomainRef ref = conn.lookupByName("g6");
            qmp.dropConnection();
            await().atMost(Duration.ofSeconds(15)).until(() -> !conn.isActive(ref));
            assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_CRASHED);
        }
        assertThat(root.statusFile("g6")).doesNotExist();
    }

    /** Records what the driver's recovery logs while {@code body} runs. */
    private static List<String> logged(ThrowingRunnable body) throws Exception {
        Logger logger = Logger.getLogger(DriverRecovery.class.getName());
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getLevel() + " " + new SimpleFormatter().formatMessage(r));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            body.run();
        } finally {
            logger.removeHandler(handler);
        }
        return lines;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void corruptDefinitionIsSetAsideAndTheOthersAreServed() throws Exception {
        StandInQemu good = new StandInQemu("good");
        try (good) {
            good.define(root);
            String torn = "<domain type='qemu'><name>broken</name><uuid>";
            Files.writeString(root.configFile("broken"), torn);

            List<String> log = logged(() -> {
                try (Connection conn = open()) {
                    assertThat(conn.listAllDomains(0))
                            .extracting(DomainRef::name)
                            .containsExactly("good");
                }
            });

            assertThat(root.configFile("broken")).doesNotExist();
            assertThat(root.configDir().resolve("broken.xml.corrupt")).hasContent(torn);
            assertThat(log)
                    .anySatisfy(l -> assertThat(l)
                            .startsWith("WARNING Failed to load config for domain 'broken': ")
                            .contains("set aside as " + root.configDir().resolve("broken.xml.corrupt")));
            try (Connection conn = open()) {
                assertThat(conn.listAllDomains(0))
                        .as("the set-aside file is not loaded again")
                        .extracting(DomainRef::name)
                        .containsExactly("good");
            }
        }
    }

    @Test
    void corruptStatusFileIsReportedAndTheRunningGuestsAreServed() throws Exception {
        qemuReports("running", true);
        qemu = new StandInQemu("g8").define(root).leaveStatus(root, qmp.socketPath(), StateReason.RUNNING_BOOTED);
        Files.writeString(root.statusFile("bad"), "<domstatus state='running' reason='booted' pid='12");

        List<String> log = logged(() -> {
            try (Connection conn = open()) {
                DomainRef ref = conn.lookupByName("g8");
                assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
                assertThat(conn.listAllDomains(0)).extracting(DomainRef::name).containsExactly("g8");
            }
        });

        assertThat(log)
                .anySatisfy(l -> assertThat(l)
                        .startsWith("WARNING Failed to load status for domain 'bad': ")
                        .contains("set aside as " + root.runDir().resolve("bad.xml.corrupt")));
        assertThat(root.runDir().resolve("bad.xml.corrupt")).exists();
        assertThat(qemu.process.isAlive()).isTrue();
    }

    @Test
    void writesCutShortByAKillAreIgnoredAndRemoved() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        StandInQemu good = new StandInQemu("g9");
        try (good) {
            good.define(root);
            Path tornDefinition = root.configDir().resolve(".g9.xml.tmp-" + gone.pid() + "-1");
            Path tornStatus = root.runDir().resolve(".g9.xml.tmp-" + gone.pid() + "-2");
            Files.writeString(tornDefinition, "<domain type='qemu'><na");
            Files.writeString(tornStatus, "<domstatus");

            try (Connection conn = open()) {
                assertThat(conn.listAllDomains(0)).extracting(DomainRef::name).containsExactly("g9");
            }
            assertThat(tornDefinition).doesNotExist();
            assertThat(tornStatus).doesNotExist();
            assertThat(root.configFile("g9")).hasContent(good.domainXml(-1));
        }
    }

    @Test
    void corruptLastStateCostsOnlyTheReason() throws Exception {
        StandInQemu good = new StandInQemu("g10");
        try (good) {
            good.define(root);
            Files.writeString(root.lastStateFile("g10"), "<laststate state='shut");

            List<String> log = logged(() -> {
                try (Connection conn = open()) {
                    assertThat(conn.state(conn.lookupByName("g10")).reason()).isEqualTo(StateReason.SHUTOFF_UNKNOWN);
                }
            });

            assertThat(log)
                    .anySatisfy(l -> assertThat(l).startsWith("WARNING Failed to load state for domain 'g10': "));
            assertThat(root.stateDir().resolve("g10.state.corrupt")).exists();
        }
    }
}
