package io.jvirt.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.nativeio.UnixSocket;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake seen from a raw client, as QEMU's monitor would be. */
class FakeQmpTest {
    private FakeQmp fake;

    @AfterEach
    void close() {
        if (fake != null) {
            fake.close();
        }
    }

    /** Reads one CRLF-terminated line. */
    private static String readLine(UnixSocket socket) throws Exception {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] one = new byte[1];
        while (true) {
            int n = socket.read(one, 0, 1);
            if (n < 0) {
                return null;
            }
            if (one[0] == '\n') {
                return line.toString(StandardCharsets.UTF_8).stripTrailing();
            }
            line.write(one[0]);
        }
    }

    private static void send(UnixSocket socket, String line) throws Exception {
        byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
        socket.write(b, 0, b.length);
    }

    @Test
    void greetsRequiresNegotiationThenAnswersByScript() throws Exception {
        fake = FakeQmp.builder().version(9, 2, 4).start();
        fake.expect("query-status")
                .reply(Map.of("status", "running", "running", true))
                .thenEmit("STOP", Map.of());
        try (UnixSocket client = UnixSocket.connect(fake.socketPath())) {
            assertThat(readLine(client))
                    .contains("\"major\":9")
                    .contains("\"minor\":2")
                    .contains("\"micro\":4");
            send(client, "{\"execute\":\"query-status\",\"id\":1}");
            assertThat(readLine(client))
                    .contains("CommandNotFound")
                    .contains("qmp_capabilities")
                    .contains("\"id\":1");
            send(client, "{\"execute\":\"qmp_capabilities\",\"id\":\"a\"}");
            assertThat(readLine(client)).isEqualTo("{\"return\":{},\"id\":\"a\"}");
            send(client, "{\"execute\":\"query-status\",\"id\":2}");
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                            .readValue(
                                    readLine(client),
                                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {}))
                    .isEqualTo(Map.of("return", Map.of("status", "running", "running", true), "id", 2));
            assertThat(readLine(client)).startsWith("{\"event\":\"STOP\",\"timestamp\":{\"seconds\":");
        }
        assertThat(fake.commandNames()).containsExactly("query-status", "qmp_capabilities", "query-status");
    }

    @Test
    void emittedEventsCarryTheirData() throws Exception {
        fake = FakeQmp.start();
        try (UnixSocket client = UnixSocket.connect(fake.socketPath())) {
            readLine(client);
            await().atMost(Duration.ofSeconds(5)).until(fake::isClientConnected);
            fake.emit("MIGRATION", Map.of("status", "active"));
            assertThat(readLine(client))
                    .contains("\"event\":\"MIGRATION\"")
                    .contains("\"data\":{\"status\":\"active\"}");
        }
    }

    @Test
    void aSecondClientIsGreetedOnlyAfterTheFirstLeaves() throws Exception {
        fake = FakeQmp.start();
        UnixSocket first = UnixSocket.connect(fake.socketPath());
        readLine(first);
        try (UnixSocket second = UnixSocket.connect(fake.socketPath())) {
            send(first, "{\"execute\":\"qmp_capabilities\",\"id\":1}");
            readLine(first);
            assertThat(fake.connectionCount()).isEqualTo(1);
            fake.dropConnection();
            assertThat(readLine(first)).isNull();
            first.close();
            assertThat(readLine(second)).contains("\"QMP\"");
            assertThat(fake.connectionCount()).isEqualTo(2);
        }
    }

    @Test
    void awaitCommandFailsNamingWhatDidArrive() throws Exception {
        fake = FakeQmp.start();
        try (UnixSocket client = UnixSocket.connect(fake.socketPath())) {
            readLine(client);
            send(client, "{\"execute\":\"qmp_capabilities\",\"id\":1}");
            assertThat(fake.awaitCommand("qmp_capabilities", Duration.ofSeconds(5))
                            .connection())
                    .isEqualTo(1);
            assertThatThrownBy(() -> fake.awaitCommand("stop", Duration.ofMillis(100)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("stop")
                    .hasMessageContaining("qmp_capabilities");
        }
    }

    @Test
    void closeRemovesTheSocket() throws Exception {
        fake = FakeQmp.start();
        Path socket = fake.socketPath();
        fake.close();
        assertThat(socket).doesNotExist();
        assertThat(socket.getParent()).doesNotExist();
    }
}
