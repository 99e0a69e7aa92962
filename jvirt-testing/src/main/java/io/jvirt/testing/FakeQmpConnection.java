package io.jvirt.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.NativeIOException;
import io.jvirt.nativeio.ReceivedData;
import io.jvirt.nativeio.UnixSocket;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One client of a {@link FakeQmp}: greets it, reads its commands (with fds) and answers them by the script.
 * {@link #serve()} runs on the fake's platform thread; {@link #sendEvent} and {@link #drop} may come from any thread.
 */
final class FakeQmpConnection {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(FakeQmpConnection.class.getName());

    private final FakeQmp fake;
    private final UnixSocket socket;
    private final int number;
    // A scripted reply and the events it emits go out as one unit: a test that emits its own event as soon as it
    // has the reply must not get it in ahead of the script's events (or interleave bytes with them).
    private final Object writeLock = new Object();
    private boolean negotiated;

    FakeQmpConnection(FakeQmp fake, UnixSocket socket, int number) {
        this.fake = fake;
        this.socket = socket;
        this.number = number;
    }

    void serve() {
        FdLineReader reader = new FdLineReader(FakeQmp.MAX_LINE_BYTES);
        byte[] buffer = new byte[64 * 1024];
        try {
            if (fake.config().greeting) {
                send(greeting());
            }
            while (true) {
                ReceivedData data = socket.recv(buffer, 0, buffer.length);
                if (data.isEndOfStream()) {
                    break;
                }
                for (FdLineReader.Line line : reader.feed(buffer, data.bytes(), data.fds())) {
                    if (!handle(line)) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "fake QMP connection " + number + " ended", e);
        } finally {
            reader.leftoverFds().forEach(NativeFds::closeQuietly);
        }
    }

    void drop() {
        socket.close();
    }

    void sendEvent(String event, Map<String, Object> data) {
        ObjectNode message = JSON.createObjectNode();
        message.put("event", event);
        if (!data.isEmpty()) {
            message.set("data", JSON.valueToTree(data));
        }
        Instant now = Instant.now();
        ObjectNode timestamp = message.putObject("timestamp");
        timestamp.put("seconds", now.getEpochSecond());
        timestamp.put("microseconds", now.getNano() / 1000);
        try {
            send(message);
        } catch (NativeIOException e) {
            LOG.log(System.Logger.Level.DEBUG, "fake QMP: event {0} not sent: {1}", event, e.getMessage());
        }
    }

    /** Returns false when the connection must end (scripted drop). */
    private boolean handle(FdLineReader.Line line) throws NativeIOException {
        JsonNode request;
        try {
            request = JSON.readTree(line.bytes());
        } catch (IOException e) {
            send(error(null, "GenericError", "JSON parse error, " + e.getMessage()));
            line.fds().forEach(NativeFds::closeQuietly);
            return true;
        }
        JsonNode id = request.get("id");
        // An out-of-band command (exec-oob) is answered and recorded as QEMU would run it in band.
        String name = request.has("exec-oob")
                ? request.path("exec-oob").asText("")
                : request.path("execute").asText("");
        @SuppressWarnings("unchecked")
        Map<String, Object> arguments =
                request.has("arguments") ? JSON.convertValue(request.get("arguments"), LinkedHashMap.class) : Map.of();
        ReceivedCommand command = new ReceivedCommand(name, arguments, line.fds(), number);
        fake.record(command);
        if (!negotiated && !name.equals("qmp_capabilities")) {
            // QEMU refuses everything before negotiation; the script is kept for after it.
            send(error(id, "CommandNotFound", "Expecting capabilities negotiation with 'qmp_capabilities'"));
            return true;
        }
        Expectation expectation = fake.nextExpectation(name);
        if (expectation == null) {
            send(unscriptedAnswer(command, id));
            return true;
        }
        synchronized (writeLock) {
            if (!expectation.silent()) {
                send(
                        expectation.errorClass() != null
                                ? error(id, expectation.errorClass(), expectation.errorDescription())
                                : success(id, expectation.returnValue()));
            }
            if (name.equals("qmp_capabilities")) {
                negotiated = true;
            }
            for (Expectation.Emission emission : expectation.emissions()) {
                sendEvent(emission.event(), emission.data());
            }
        }
        if (expectation.drop()) {
            socket.close();
            return false;
        }
        return true;
    }

    private ObjectNode unscriptedAnswer(ReceivedCommand command, JsonNode id) {
        if (command.name().equals("qmp_capabilities")) {
            negotiated = true;
            return success(id, Map.of());
        }
        if ((command.name().equals("getfd") || command.name().equals("add-fd"))
                && command.fds().isEmpty()) {
            return error(id, "GenericError", "No file descriptor supplied via SCM_RIGHTS");
        }
        if (fake.config().strict) {
            fake.unscripted(command.name());
            return error(id, "CommandNotFound", "The command " + command.name() + " has not been found");
        }
        return success(id, fake.config().defaultReply);
    }

    private ObjectNode greeting() {
        ObjectNode message = JSON.createObjectNode();
        ObjectNode qmp = message.putObject("QMP");
        ObjectNode version = qmp.putObject("version");
        ObjectNode qemu = version.putObject("qemu");
        qemu.put("micro", fake.config().micro);
        qemu.put("minor", fake.config().minor);
        qemu.put("major", fake.config().major);
        version.put("package", "jvirt-fake-qmp");
        qmp.putArray("capabilities").add("oob");
        return message;
    }

    private static ObjectNode success(JsonNode id, Object value) {
        ObjectNode message = JSON.createObjectNode();
        message.set("return", JSON.valueToTree(value));
        if (id != null) {
            message.set("id", id);
        }
        return message;
    }

    private static ObjectNode error(JsonNode id, String errorClass, String description) {
        ObjectNode message = JSON.createObjectNode();
        ObjectNode error = message.putObject("error");
        error.put("class", errorClass);
        error.put("desc", description);
        if (id != null) {
            message.set("id", id);
        }
        return message;
    }

    /** QEMU ends its lines with CRLF; so does the fake, so clients are tested against that. */
    private void send(ObjectNode message) throws NativeIOException {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("fake QMP cannot write " + message, e);
        }
        byte[] line = new byte[json.length + 2];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\r';
        line[json.length + 1] = '\n';
        synchronized (writeLock) {
            socket.write(line, 0, line.length);
        }
    }
}
