package io.jvirt.qmp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.nativeio.UnixServerSocket;
import io.jvirt.nativeio.UnixSocket;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorClosedException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peers that misbehave in ways the scripted fake does not: replies out of order, oversized messages. */
class QmpMonitorRawPeerTest {
    private static final String GREETING =
            "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 9}}, \"capabilities\": []}}\r\n";
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    @TempDir
    Path dir;

    private UnixServerSocket server;
    private UnixSocket peer;
    private Monitor monitor;
    private final RecordingMonitorListener listener = new RecordingMonitorListener();

    @AfterEach
    void cleanUp() {
        if (monitor != null) {
            monitor.close();
        }
        if (peer != null) {
            peer.close();
        }
        server.close();
    }

    private static void send(UnixSocket socket, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.write(bytes, 0, bytes.length);
    }

    /** Reads until {@code count} newline-terminated commands arrived; returns them. */
    private static String[] readCommands(UnixSocket socket, int count) throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (seen.toString(StandardCharsets.UTF_8)
                        .chars()
                        .filter(c -> c == '\n')
                        .count()
                < count) {
            int n = socket.read(buffer, 0, buffer.length);
            if (n < 0) {
                throw new AssertionError("client went away");
            }
            seen.write(buffer, 0, n);
        }
        return seen.toString(StandardCharsets.UTF_8).split("\n");
    }

    private static long idOf(String command) {
        Matcher m = ID.matcher(command);
        assertThat(m.find()).as("id in %s", command).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Accepts one client, greets it and answers qmp_capabilities. */
    private CompletableFuture<Monitor> connectNegotiated() throws Exception {
        server = UnixServerSocket.bind(dir.resolve("qmp.sock"));
        CompletableFuture<Monitor> connected = CompletableFuture.supplyAsync(() -> {
            try {
                return QmpMonitor.connect(server.path(), "raw", listener, Duration.ofSeconds(10));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        peer = server.accept();
        send(peer, GREETING);
        String capabilities = readCommands(peer, 1)[0];
        assertThat(capabilities).contains("qmp_capabilities");
        send(peer, "{\"return\": {}, \"id\": " + idOf(capabilities) + "}\r\n");
        monitor = connected.get(10, TimeUnit.SECONDS);
        return connected;
    }

    @Test
    void repliesSentInReverseOrderReachTheRightCallers() throws Exception {
        connectNegotiated();
        CompletableFuture<Map<String, Object>> first = CompletableFuture.supplyAsync(() -> call("x-first"));
        String firstCommand = readCommands(peer, 1)[0];
        CompletableFuture<Map<String, Object>> second = CompletableFuture.supplyAsync(() -> call("x-second"));
        String secondCommand = readCommands(peer, 1)[0];

        send(
                peer,
                "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 0}, \"event\": \"STOP\"}\r\n"
                        + "{\"return\": {\"who\": \"second\"}, \"id\": " + idOf(secondCommand) + "}\r\n"
                        + "{\"return\": {\"who\": \"first\"}, \"id\": " + idOf(firstCommand) + "}\r\n");

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(Map.of("who", "first"));
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(Map.of("who", "second"));
    }

    @Test
    void anOversizedMessageClosesTheMonitorWithAnError() throws Exception {
        connectNegotiated();
        CompletableFuture<Throwable> pending = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                monitor.queryStatus();
                pending.complete(null);
            } catch (Throwable t) {
                pending.complete(t);
            }
        });
        readCommands(peer, 1);
        byte[] chunk = new byte[1 << 20];
        java.util.Arrays.fill(chunk, (byte) ' ');
        try {
            for (int i = 0; i <= QmpMonitor.MAX_MESSAGE_BYTES / chunk.length; i++) {
                peer.write(chunk, 0, chunk.length);
            }
        } catch (Exception expected) {
            // The monitor may close its end before the last chunk: that is the behaviour under test.
        }
        assertThat(pending.get(10, TimeUnit.SECONDS)).isInstanceOf(MonitorClosedException.class);
        Optional<Throwable> cause = listener.closed.get(10, TimeUnit.SECONDS);
        assertThat(cause).get().isInstanceOf(LineFramer.FrameTooLongException.class);
    }

    private Map<String, Object> call(String command) {
        try {
            return monitor.execute(command, null);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
