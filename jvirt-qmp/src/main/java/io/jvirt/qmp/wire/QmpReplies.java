package io.jvirt.qmp.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvirt.qmp.AddFdResult;
import io.jvirt.qmp.StatusInfo;

import java.io.IOException;
import java.util.Map;

/**
 * Turns the {@code "return"} values of typed commands into records. A typed command = a {@link io.jvirt.qmp.Monitor}
 * method, one line in {@link QmpMonitor} and, if it returns something, one decoder here.
 */
final class QmpReplies {
    /** Decodes a {@code "return"} value; a reply missing a required member is a protocol error. */
    @FunctionalInterface
    interface Decoder<T> {
        T decode(JsonNode value) throws IOException;
    }

    static final Decoder<Void> NONE = value -> null;

    static final Decoder<StatusInfo> STATUS = value ->
            new StatusInfo(required(value, "status").asText(), value.path("running").asBoolean(false));

    static final Decoder<AddFdResult> ADD_FD = value ->
            new AddFdResult(required(value, "fdset-id").asInt(), required(value, "fd").asInt());

    /** The generic escape hatch: objects as maps, anything else wrapped under "return". */
    static final Decoder<Map<String, Object>> PLAIN = value -> value.isObject()
            ? QmpCodec.toPlainMap(value)
            : java.util.Collections.singletonMap("return", QmpCodec.toPlain(value));

    private QmpReplies() {
    }

    private static JsonNode required(JsonNode value, String member) throws IOException {
        JsonNode node = value.get(member);
        if (node == null || node.isNull()) {
            throw new IOException("QMP reply lacks '" + member + "': " + value);
        }
        return node;
    }
}
