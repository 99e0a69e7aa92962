package io.jvirt.qmp.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Encodes commands and decodes QEMU's messages; the only JSON (Jackson) code of the monitor. Thread safe. */
final class QmpCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private QmpCodec() {}

    /** {@code {"execute": command, "arguments": …, "id": id}} plus the newline that ends a QMP message. */
    static byte[] encodeCommand(String command, Map<String, ?> arguments, long id) {
        return encodeCommand("execute", command, arguments, id);
    }

    /** As {@link #encodeCommand(String, Map, long)}, {@code exec-oob} for a command QEMU runs out of band. */
    static byte[] encodeOutOfBand(String command, Map<String, ?> arguments, long id) {
        return encodeCommand("exec-oob", command, arguments, id);
    }

    private static byte[] encodeCommand(String verb, String command, Map<String, ?> arguments, long id) {
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put(verb, command);
        if (arguments != null && !arguments.isEmpty()) {
            message.set("arguments", MAPPER.valueToTree(arguments));
        }
        message.put("id", id);
        try {
            byte[] json = MAPPER.writeValueAsBytes(message);
            byte[] line = new byte[json.length + 1];
            System.arraycopy(json, 0, line, 0, json.length);
            line[json.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("arguments of " + command + " cannot be written as JSON", e);
        }
    }

    /** A command as a user wrote it for {@link io.jvirt.qmp.Monitor#executeJson}: its name and plain arguments. */
    record UserCommand(String execute, Map<String, Object> arguments) {}

    /** Reads a user's command text; IllegalArgumentException says what is wrong with it. */
    static UserCommand parseUserCommand(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("is not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("is not a JSON object");
        }
        if (!node.path("execute").isTextual()) {
            throw new IllegalArgumentException("has no \"execute\" name");
        }
        // Arguments that are not an object are left out, as QEMU would refuse them anyway.
        return new UserCommand(node.get("execute").asText(), toPlainMap(node.get("arguments")));
    }

    /** {@code {"return": value}} with QEMU's value as it came, object or not. */
    static String encodeUserReturn(JsonNode value) {
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.set("return", value);
        return write(reply);
    }

    /** {@code {"error": {"class": …, "desc": …}}}, as QEMU words an error reply. */
    static String encodeUserError(String errorClass, String description) {
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.putObject("error").put("class", errorClass).put("desc", description);
        return write(reply);
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            // A tree read from QEMU or built here always serialises; this would be a bug of ours.
            throw new IllegalStateException("cannot write " + node.getNodeType() + " as JSON", e);
        }
    }

    /** Decodes one framed message. */
    static QmpMessage decode(byte[] line) throws IOException {
        JsonNode node = MAPPER.readTree(line);
        if (node == null || !node.isObject()) {
            throw new IOException("QMP message is not a JSON object: " + new String(line, StandardCharsets.UTF_8));
        }
        if (node.has("QMP")) {
            JsonNode qemu = node.path("QMP").path("version").path("qemu");
            boolean oob = false;
            for (JsonNode capability : node.path("QMP").path("capabilities")) {
                oob |= "oob".equals(capability.asText());
            }
            return new QmpMessage.Greeting(
                    qemu.path("major").asInt(),
                    qemu.path("minor").asInt(),
                    qemu.path("micro").asInt(),
                    oob);
        }
        if (node.has("event")) {
            JsonNode ts = node.path("timestamp");
            long micros = ts.path("seconds").asLong() * 1_000_000L
                    + ts.path("microseconds").asLong();
            return new QmpMessage.Event(node.get("event").asText(), node.path("data"), micros);
        }
        Long id = node.path("id").canConvertToExactIntegral() && node.path("id").canConvertToLong()
                ? node.get("id").asLong()
                : null;
        if (node.has("return")) {
            return new QmpMessage.Return(id, node.get("return"));
        }
        if (node.has("error")) {
            JsonNode error = node.get("error");
            return new QmpMessage.Error(
                    id,
                    error.path("class").asText("GenericError"),
                    error.path("desc").asText(""));
        }
        return new QmpMessage.Unknown(node);
    }

    /** JSON as plain Java: Map (insertion ordered), List, String, Long (BigInteger if too big), Double, Boolean, null. */
    static Object toPlain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            return toPlainMap(node);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(element -> list.add(toPlain(element)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.asLong() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }

    /** An object as a plain map; a missing node or null gives an empty map. */
    static Map<String, Object> toPlainMap(JsonNode node) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                map.put(field.getKey(), toPlain(field.getValue()));
            }
        }
        return map;
    }
}
