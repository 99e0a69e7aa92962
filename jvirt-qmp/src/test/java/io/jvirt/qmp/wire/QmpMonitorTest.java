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
import io.jvirt.qmp.MonitorTimeoutException;
import io.jvirt.qmp.QemuVersion;
import io.jvirt.qmp.QmpCommandException;
import io.jvirt.qmp.RunState;
import io.jvirt.qmp.StatusInfo;
import io.jvirt.testing.FakeQmp;
import io.jvirt.testing.ReceivedCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QmpMonitorTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private FakeQmp qemu;
    private final RecordingMonitorListener listener = new RecordingMonitorListener();
    private Monitor monitor;

    @BeforeEach
    void startFake() throws Exception {
        qemu = FakeQmp.builder().version(10, 0, 2).start();
    }

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.close();
        }
        qemu.close();
    }

    private Monitor connect() throws Exception {
        monitor = QmpMonitor.connect(qemu.socketPath(), "vm1", listener, TIMEOUT);
        return monitor;
    }

    @Test
    void connectReadsTheGreetingAndNegotiatesCapabilitiesFirst() throws Exception {
        connect();
        assertThat(monitor.version()).isEqualTo(new QemuVersion(10, 0, 2));
        assertThat(monitor.version().atLeast(9, 1)).isTrue();
        assertThat(qemu.commandNames()).containsExactly("qmp_capabilities");
        assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .contains("qmp-reader[vm1]");
    }

    @Test
    void queryStatusGivesStateAndRunningFlag() throws Exception {
        qemu.expect("query-status").reply(Map.of("status", "finish-migrate", "running", false));
        StatusInfo status = connect().queryStatus();
        assertThat(status).isEqualTo(new StatusInfo("finish-migrate", false));
        assertThat(status.state()).isEqualTo(RunState.FINISH_MIGRATE);
    }

    @Test
    void simpleCommandsSendTheirQmpNames() throws Exception {
        connect();
        monitor.cont();
        monitor.stop();
        monitor.systemPowerdown();
        monitor.systemReset();
        assertThat(qemu.commandNames())
                .containsExactly("qmp_capabilities", "cont", "stop", "system_powerdown", "system_reset");
    }

    @Test
    void qemuErrorsBecomeCommandExceptionsAndTheMonitorStaysUsable() throws Exception {
        qemu.expect("cont").replyError("GenericError", "boom");
        qemu.expect("query-status").reply(Map.of("status", "paused", "running", false));
        connect();
        assertThatThrownBy(monitor::cont)
                .isInstanceOfSatisfying(QmpCommandException.class, e -> {
                    assertThat(e.command()).isEqualTo("cont");
                    assertThat(e.errorClass()).isEqualTo("GenericError");
                    assertThat(e.description()).isEqualTo("boom");
                })
                .hasMessageContaining("cont")
                .hasMessageContaining("boom");
        assertThat(monitor.queryStatus().state()).isEqualTo(RunState.PAUSED);
    }

    @Test
    void concurrentCallersEachGetTheirOwnReply() throws Exception {
        int callers = 40;
        for (int i = 0; i < callers; i++) {
            qemu.expect("x-echo-" + i).reply(Map.of("n", i));
        }
        connect();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Map<String, Object>>> replies = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String command = "x-echo-" + i;
                replies.add(pool.submit(() -> monitor.execute(command, Map.of())));
            }
            for (int i = 0; i < callers; i++) {
                assertThat(replies.get(i).get(20, TimeUnit.SECONDS)).isEqualTo(Map.of("n", (long) i));
            }
        }
    }

    @Test
    void eventsArriveInOrderOnTheDispatchThreadBetweenReplies() throws Exception {
        qemu.expect("stop").thenEmit("STOP", Map.of());
        qemu.expect("cont").thenEmit("RESUME", Map.of());
        connect();
        monitor.stop();
        for (int i = 1; i <= 50; i++) {
            qemu.emit("MIGRATION_PASS", Map.of("pass", i));
        }
        monitor.cont();
        qemu.emit("SHUTDOWN", Map.of("guest", true, "reason", "guest-shutdown"));
        await().atMost(TIMEOUT).until(() -> listener.events().size() == 53);

        List<MonitorEvent> events = listener.events();
        assertThat(events.getFirst()).isInstanceOf(MonitorEvent.Stop.class);
        assertThat(events.subList(1, 51))
                .extracting(e -> ((MonitorEvent.MigrationPass) e).pass())
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
        assertThat(events.get(51)).isInstanceOf(MonitorEvent.Resume.class);
        assertThat(events.get(52)).isInstanceOfSatisfying(MonitorEvent.Shutdown.class, s -> {
            assertThat(s.guest()).isTrue();
            assertThat(s.reason()).isEqualTo("guest-shutdown");
        });
        assertThat(events)
                .extracting(MonitorEvent::timestampMicros)
                .allSatisfy(t -> assertThat(t).isPositive());
        assertThat(listener.threads).containsOnly("qmp-events[vm1]");
    }

    @Test
    void aListenerMayCallBackIntoTheMonitor() throws Exception {
        qemu.expect("query-status").reply(Map.of("status", "paused", "running", false));
        CompletableFuture<StatusInfo> seenFromListener = new CompletableFuture<>();
        monitor = QmpMonitor.connect(
                qemu.socketPath(),
                "vm1",
                new io.jvirt.qmp.MonitorListener() {
                    @Override
                    public void onEvent(MonitorEvent event) {
                        try {
                            seenFromListener.complete(monitor.queryStatus());
                        } catch (Exception e) {
                            seenFromListener.completeExceptionally(e);
                        }
                    }

                    @Override
                    public void onClosed(Throwable causeOrNull) {}
                },
                TIMEOUT);
        qemu.emit("STOP", Map.of());
        assertThat(seenFromListener.get(10, TimeUnit.SECONDS).status()).isEqualTo("paused");
    }

    @Test
    void noReplyWithinTheTimeoutNamesTheCommandAndLeavesTheMonitorOpen() throws Exception {
        qemu.expect("query-status").noReply();
        qemu.expect("query-status").reply(Map.of("status", "running", "running", true));
        monitor = QmpMonitor.connect(qemu.socketPath(), "vm1", listener, Duration.ofMillis(300));
        long start = System.nanoTime();
        assertThatThrownBy(monitor::queryStatus)
                .isInstanceOfSatisfying(
                        MonitorTimeoutException.class,
                        e -> assertThat(e.command()).isEqualTo("query-status"))
                .hasMessageContaining("query-status");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(monitor.isClosed()).isFalse();
        assertThat(monitor.queryStatus().running()).isTrue();
    }

    @Test
    void qemuDyingFailsPendingCallsAtOnceAndReportsTheCause() throws Exception {
        qemu.expect("query-status").noReply();
        monitor = QmpMonitor.connect(qemu.socketPath(), "vm1", listener, Duration.ofSeconds(60));
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                monitor.queryStatus();
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        qemu.awaitCommand("query-status", TIMEOUT);
        long start = System.nanoTime();
        qemu.dropConnection();

        assertThat(failure.get(5, TimeUnit.SECONDS))
                .isInstanceOf(MonitorClosedException.class)
                .hasMessageContaining("query-status");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        Optional<Throwable> cause = listener.closed.get(5, TimeUnit.SECONDS);
        assertThat(cause).get().isInstanceOf(java.io.EOFException.class);
        assertThat(monitor.isClosed()).isTrue();
        assertThatThrownBy(monitor::queryStatus).isInstanceOf(MonitorClosedException.class);
    }

    @Test
    void onClosedComesOnceAfterEveryEarlierEvent() throws Exception {
        qemu.expect("system_powerdown")
                .thenEmit("POWERDOWN", Map.of())
                .thenEmit("SHUTDOWN", Map.of("guest", true, "reason", "guest-shutdown"))
                .thenDropConnection();
        connect();
        monitor.systemPowerdown();
        listener.closed.get(5, TimeUnit.SECONDS);
        await().atMost(TIMEOUT).until(() -> listener.deliveries.size() >= 3);
        assertThat(listener.deliveries).hasSize(3);
        assertThat(listener.deliveries.get(0)).isInstanceOf(MonitorEvent.Powerdown.class);
        assertThat(listener.deliveries.get(1)).isInstanceOf(MonitorEvent.Shutdown.class);
        assertThat(listener.deliveries.get(2)).isEqualTo("closed");
        monitor.close();
        assertThat(listener.closedCalls.get()).isEqualTo(1);
    }

    @Test
    void getfdPassesARealFdThatTheReceiverCanWriteThrough() throws Exception {
        connect();
        Pipe pipe = Pipe.open(0);
        try {
            monitor.getfd("mig", pipe.writeFd());
            NativeFds.close(pipe.writeFd());
            ReceivedCommand getfd = qemu.awaitCommand("getfd", TIMEOUT);
            assertThat(getfd.arguments()).isEqualTo(Map.of("fdname", "mig"));
            assertThat(getfd.fds()).hasSize(1);

            byte[] hello = "from the other side".getBytes(StandardCharsets.US_ASCII);
            NativeFds.write(getfd.fds().getFirst(), hello, 0, hello.length);
            byte[] got = new byte[64];
            int n = NativeFds.read(pipe.readFd(), got, 0, got.length);
            assertThat(new String(got, 0, n, StandardCharsets.US_ASCII)).isEqualTo("from the other side");

            monitor.closefd("mig");
            assertThat(qemu.awaitCommand("closefd", TIMEOUT).arguments()).isEqualTo(Map.of("fdname", "mig"));
        } finally {
            NativeFds.close(pipe.readFd());
        }
    }

    @Test
    void addFdSendsTheFdAndReturnsTheSetAndNumber() throws Exception {
        qemu.expect("add-fd").reply(Map.of("fdset-id", 3, "fd", 25));
        connect();
        Pipe pipe = Pipe.open(0);
        try {
            assertThat(monitor.addFd(3, pipe.writeFd(), "mig-out")).isEqualTo(new AddFdResult(3, 25));
            ReceivedCommand addFd = qemu.awaitCommand("add-fd", TIMEOUT);
            assertThat(addFd.arguments()).isEqualTo(Map.of("fdset-id", 3, "opaque", "mig-out"));
            assertThat(addFd.fds()).hasSize(1);
        } finally {
            NativeFds.close(pipe.readFd());
            NativeFds.close(pipe.writeFd());
        }
    }

    @Test
    void getfdWithoutAnFdIsRefusedLikeQemuDoes() throws Exception {
        connect();
        assertThatThrownBy(() -> monitor.execute("getfd", Map.of("fdname", "x")))
                .isInstanceOf(QmpCommandException.class)
                .hasMessageContaining("SCM_RIGHTS");
    }

    @Test
    void executeReturnsPlainJavaAndWrapsNonObjectReturns() throws Exception {
        qemu.expect("query-migrate")
                .reply(Map.of("status", "active", "ram", Map.of("transferred", 123456789012L, "mbps", 812.5)));
        qemu.expect("query-fdsets").reply(List.of(Map.of("fdset-id", 1)));
        connect();
        Map<String, Object> migrate = monitor.execute("query-migrate", null);
        assertThat(migrate)
                .containsEntry("status", "active")
                .containsEntry("ram", Map.of("transferred", 123456789012L, "mbps", 812.5));
        assertThat(monitor.execute("query-fdsets", Map.of()))
                .isEqualTo(Map.of("return", List.of(Map.of("fdset-id", 1L))));
    }

    @Test
    void executeJsonGivesQemusReplyAsJsonTextObjectOrNot() throws Exception {
        qemu.expect("query-migrate-parameters").reply(Map.of("max-bandwidth", 134217728));
        qemu.expect("query-fdsets").reply(List.of(Map.of("fdset-id", 1)));
        qemu.expect("x-broken").replyError("GenericError", "no such thing");
        connect();
        assertThat(monitor.executeJson("{\"execute\": \"query-migrate-parameters\", \"id\": \"mine\"}"))
                .isEqualTo("{\"return\":{\"max-bandwidth\":134217728}}");
        // A non-object return is given back as QEMU sent it, not wrapped as execute() wraps it.
        assertThat(monitor.executeJson("{\"execute\":\"query-fdsets\"}")).isEqualTo("{\"return\":[{\"fdset-id\":1}]}");
        assertThat(monitor.executeJson("{\"execute\":\"x-broken\",\"arguments\":{\"a\":[1,2.5,\"x\"]}}"))
                .isEqualTo("{\"error\":{\"class\":\"GenericError\",\"desc\":\"no such thing\"}}");
        assertThat(qemu.awaitCommand("x-broken", TIMEOUT).arguments()).isEqualTo(Map.of("a", List.of(1, 2.5, "x")));
    }

    @Test
    void executeJsonRefusesWhatIsNotACommandUnsent() throws Exception {
        connect();
        assertThatThrownBy(() -> monitor.executeJson("{\"execute\": "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("is not JSON");
        assertThatThrownBy(() -> monitor.executeJson("[1]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("is not a JSON object");
        assertThatThrownBy(() -> monitor.executeJson("{\"arguments\": {}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("has no \"execute\" name");
        assertThat(qemu.commandNames()).containsExactly("qmp_capabilities");
    }

    @Test
    void quitEndsTheMonitorWithoutError() throws Exception {
        qemu.expect("quit").thenDropConnection();
        connect();
        monitor.quit();
        assertThat(monitor.isClosed()).isTrue();
        assertThat(listener.closed.get(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void quitWhoseReplyIsLostToTheClosingSocketIsStillFine() throws Exception {
        qemu.expect("quit").noReply().thenDropConnection();
        connect();
        monitor.quit();
        assertThat(monitor.isClosed()).isTrue();
        assertThat(listener.closed.get(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void closeFailsPendingCallsStopsTheReaderAndRefusesNewCalls() throws Exception {
        qemu.expect("query-status").noReply();
        monitor = QmpMonitor.connect(qemu.socketPath(), "vm-close", listener, Duration.ofSeconds(60));
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                monitor.queryStatus();
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        qemu.awaitCommand("query-status", TIMEOUT);
        monitor.close();
        monitor.close();
        assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(MonitorClosedException.class);
        assertThat(listener.closed.get(5, TimeUnit.SECONDS)).isEmpty();
        assertThatThrownBy(monitor::stop).isInstanceOf(MonitorClosedException.class);
        await().atMost(TIMEOUT)
                .until(() -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().equals("qmp-reader[vm-close]")));
        await().atMost(TIMEOUT).until(() -> !qemu.isClientConnected());
    }

    @Test
    void aSilentPeerMakesConnectTimeOutNamingTheGreeting() throws Exception {
        try (FakeQmp silent = FakeQmp.builder().withoutGreeting().start()) {
            assertThatThrownBy(() -> QmpMonitor.connect(silent.socketPath(), "mute", listener, Duration.ofMillis(200)))
                    .isInstanceOf(MonitorTimeoutException.class)
                    .hasMessageContaining("greeting");
        }
    }

    @Test
    void connectingWhereNothingListensFails() {
        assertThatThrownBy(
                        () -> QmpMonitor.connect(qemu.socketPath().resolveSibling("none.sock"), "x", listener, TIMEOUT))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("none.sock");
    }

    @Test
    void aNewMonitorCanConnectAfterTheFirstOneLeaves() throws Exception {
        qemu.expect("query-status")
                .reply(Map.of("status", "running", "running", true))
                .repeatedly();
        connect().close();
        Monitor second = QmpMonitor.connect(qemu.socketPath(), "vm1-again", listener, TIMEOUT);
        try {
            assertThat(second.queryStatus().running()).isTrue();
            assertThat(qemu.connectionCount()).isEqualTo(2);
            assertThat(qemu.commands())
                    .filteredOn(c -> c.name().equals("query-status"))
                    .extracting(ReceivedCommand::connection)
                    .containsExactly(2);
        } finally {
            second.close();
        }
    }

    @Test
    void strictFakeRefusesUnscriptedCommands() throws Exception {
        FakeQmp strict = FakeQmp.builder().strict().start();
        try (Monitor m = QmpMonitor.connect(strict.socketPath(), "strict", listener, TIMEOUT)) {
            assertThatThrownBy(m::systemReset)
                    .isInstanceOfSatisfying(
                            QmpCommandException.class,
                            e -> assertThat(e.errorClass()).isEqualTo("CommandNotFound"));
        }
        assertThat(strict.unexpectedCommands()).containsExactly("system_reset");
        assertThatThrownBy(strict::close).isInstanceOf(AssertionError.class).hasMessageContaining("system_reset");
    }
}
