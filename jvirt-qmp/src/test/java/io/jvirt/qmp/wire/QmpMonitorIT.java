package io.jvirt.qmp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.Pipe;
import io.jvirt.qmp.AddFdResult;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorClosedException;
import io.jvirt.qmp.MonitorEvent;
import io.jvirt.qmp.QmpCommandException;
import io.jvirt.qmp.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The monitor against a real QEMU (TCG, paused at start, no devices). */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a QEMU that hangs fails the class instead of CI
class QmpMonitorIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Process qemu;
    private Monitor monitor;
    private final RecordingMonitorListener listener = new RecordingMonitorListener();

    @BeforeEach
    void startQemu() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        qemu = new ProcessBuilder(
                        "qemu-system-x86_64",
                        "-accel",
                        "tcg",
                        "-machine",
                        "pc",
                        "-m",
                        "64",
                        "-display",
                        "none",
                        "-nodefaults",
                        "-S",
                        "-qmp",
                        "unix:" + socket + ",server=on,wait=off")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile())
                .start();
        await().atMost(TIMEOUT).until(() -> Files.exists(socket) || !qemu.isAlive());
        assertThat(qemu.isAlive()).as("QEMU started; log: %s", log()).isTrue();
        monitor = QmpMonitor.connect(socket, "it-vm", listener, TIMEOUT);
    }

    @AfterEach
    void stopQemu() throws Exception {
        if (monitor != null) {
            monitor.close();
        }
        if (qemu != null) {
            qemu.destroyForcibly();
            assertThat(qemu.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    private String log() throws IOException {
        Path log = dir.resolve("qemu.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The pipe inodes among QEMU's open fds, as /proc shows them ("pipe:[1234]"). */
    private List<String> qemuPipes() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(qemu.pid()), "fd"))) {
            return fds.map(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString();
                        } catch (IOException e) {
                            return "";
                        }
                    })
                    .filter(link -> link.startsWith("pipe:"))
                    .toList();
        }
    }

    private static String pipeInode(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
    }

    @Test
    void greetingStatesTheInstalledVersion() {
        assertThat(monitor.version().major()).isEqualTo(10);
        assertThat(monitor.version().toString()).isEqualTo("10.0.2");
    }

    @Test
    void prelaunchThenContRunsTheGuestAndReportsResume() throws Exception {
        assertThat(monitor.queryStatus().state()).isEqualTo(RunState.PRELAUNCH);
        assertThat(monitor.queryStatus().running()).isFalse();
        monitor.cont();
        assertThat(monitor.queryStatus().state()).isEqualTo(RunState.RUNNING);
        assertThat(monitor.queryStatus().running()).isTrue();
        await().atMost(TIMEOUT).until(() -> listener.events().stream().anyMatch(e -> e instanceof MonitorEvent.Resume));
    }

    @Test
    void stopPausesTheGuestAndEmitsStop() throws Exception {
        monitor.cont();
        monitor.stop();
        assertThat(monitor.queryStatus().state()).isEqualTo(RunState.PAUSED);
        await().atMost(TIMEOUT).until(() -> listener.events().stream().anyMatch(e -> e instanceof MonitorEvent.Stop));
        List<MonitorEvent> events = listener.events();
        assertThat(events.stream().map(MonitorEvent::name).toList()).containsSubsequence("RESUME", "STOP");
        assertThat(listener.threads).containsOnly("qmp-events[it-vm]");
    }

    @Test
    void getfdHandsQemuThePipeAndClosefdTakesItBack() throws Exception {
        Pipe pipe = Pipe.open(1 << 20);
        try {
            String inode = pipeInode(pipe.readFd());
            assertThat(qemuPipes()).doesNotContain(inode);
            monitor.getfd("mig", pipe.writeFd());
            NativeFds.close(pipe.writeFd());
            assertThat(qemuPipes()).as("QEMU holds the write end").contains(inode);

            monitor.closefd("mig");
            assertThat(qemuPipes()).doesNotContain(inode);
            assertThat(NativeFds.read(pipe.readFd(), new byte[1], 0, 1))
                    .as("no write end is left")
                    .isEqualTo(-1);
            assertThatThrownBy(() -> monitor.closefd("mig"))
                    .isInstanceOfSatisfying(
                            QmpCommandException.class,
                            e -> assertThat(e.errorClass()).isEqualTo("GenericError"));
        } finally {
            NativeFds.close(pipe.readFd());
        }
    }

    @Test
    void getfdWithoutAFdIsRefusedByQemu() {
        assertThatThrownBy(() -> monitor.execute("getfd", Map.of("fdname", "nofd")))
                .isInstanceOf(QmpCommandException.class)
                .hasMessageContaining("SCM_RIGHTS");
    }

    @Test
    void addFdPutsTheFdIntoAnFdSetQemuLists() throws Exception {
        Pipe pipe = Pipe.open(0);
        try {
            AddFdResult added = monitor.addFd(7, pipe.writeFd(), "jvirt-test");
            assertThat(added.fdsetId()).isEqualTo(7);
            assertThat(added.fd()).isGreaterThan(2);
            Map<String, Object> fdsets = monitor.execute("query-fdsets", null);
            assertThat(fdsets.get("return"))
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                    .anySatisfy(
                            set -> assertThat(((Map<?, ?>) set).get("fdset-id")).isEqualTo(7L));
        } finally {
            NativeFds.close(pipe.readFd());
            NativeFds.close(pipe.writeFd());
        }
    }

    @Test
    void qemuKilledFromOutsideFailsThePendingCallAndClosesTheMonitorPromptly() throws Exception {
        // A stopped QEMU cannot answer, so the next command is surely pending when the kill comes.
        assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(qemu.pid()))
                        .start()
                        .waitFor())
                .isZero();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                monitor.queryStatus();
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        qemu.destroyForcibly();
        long killed = System.nanoTime();

        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(MonitorClosedException.class);
        Optional<Throwable> cause = listener.closed.get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(5));
        assertThat(cause).isPresent();
        assertThat(monitor.isClosed()).isTrue();
    }

    @Test
    void quitEndsQemuAndTheMonitorQuietly() throws Exception {
        monitor.quit();
        assertThat(monitor.isClosed()).isTrue();
        assertThat(qemu.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(listener.closed.get(10, TimeUnit.SECONDS)).isEmpty();
    }
}
