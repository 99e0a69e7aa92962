package io.jvirt.qmp.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvirt.qmp.AddFdResult;
import io.jvirt.qmp.DumpState;
import io.jvirt.qmp.DumpStatus;
import io.jvirt.qmp.MigrationParameters;
import io.jvirt.qmp.MigrationStats;
import io.jvirt.qmp.StatusInfo;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the {@code "return"} values of typed commands into records. A typed command = a {@link io.jvirt.qmp.Monitor}
 * method, one line in {@link QmpMonitor} and, if it returns something, one decoder here (the long
 * {@code query-migrate} mapping lives in {@link MigrationStatsDecoder}).
 */
final class QmpReplies {
    /** Decodes a {@code "return"} value; a reply missing a required member is a protocol error. */
    @FunctionalInterface
    interface Decoder<T> {
        T decode(JsonNode value) throws IOException;
    }

    static final Decoder<Void> NONE = value -> null;

    static final Decoder<StatusInfo> STATUS = value -> new StatusInfo(
            required(value, "status").asText(), value.path("running").asBoolean(false));

    static final Decoder<AddFdResult> ADD_FD = value -> new AddFdResult(
            required(value, "fdset-id").asInt(), required(value, "fd").asInt());

    static final Decoder<MigrationStats> MIGRATION_STATS = MigrationStatsDecoder::decode;

    static final Decoder<MigrationParameters> MIGRATION_PARAMETERS = value -> {
        requireObject(value, "query-migrate-parameters");
        return new MigrationParameters(
                value.path("max-bandwidth").asLong(0),
                value.path("downtime-limit").asLong(0),
                value.path("xbzrle-cache-size").asLong(0),
                value.path("multifd-channels").asInt(0),
                value.path("cpu-throttle-initial").asInt(0),
                value.path("cpu-throttle-increment").asInt(0),
                value.path("max-postcopy-bandwidth").asLong(0),
                QmpCodec.toPlainMap(value));
    };

    /** {@code [{"capability": name, "state": bool}, …]} as an ordered, unmodifiable map. */
    static final Decoder<Map<String, Boolean>> MIGRATION_CAPABILITIES = value -> {
        if (!value.isArray()) {
            throw new IOException("query-migrate-capabilities did not return an array: " + value);
        }
        Map<String, Boolean> caps = new LinkedHashMap<>();
        for (JsonNode entry : value) {
            caps.put(
                    required(entry, "capability").asText(),
                    required(entry, "state").asBoolean());
        }
        return Collections.unmodifiableMap(caps);
    };

    static final Decoder<DumpStatus> DUMP_STATUS = value -> {
        requireObject(value, "query-dump");
        return dumpStatus(value);
    };

    /** The generic escape hatch: objects as maps, anything else wrapped under "return". */
    static final Decoder<Map<String, Object>> PLAIN = value ->
            value.isObject() ? QmpCodec.toPlainMap(value) : Collections.singletonMap("return", QmpCodec.toPlain(value));

    private QmpReplies() {}

    /** A DumpQueryResult (also the {@code result} of DUMP_COMPLETED); missing numbers are 0, a missing status UNKNOWN. */
    static DumpStatus dumpStatus(JsonNode value) {
        return new DumpStatus(
                DumpState.fromQmp(value.path("status").asText("")),
                value.path("completed").asLong(0),
                value.path("total").asLong(0));
    }

    static void requireObject(JsonNode value, String command) throws IOException {
        if (!value.isObject()) {
            throw new IOException(command + " did not return an object: " + value);
        }
    }

    private static JsonNode required(JsonNode value, String member) throws IOException {
        JsonNode node = value.get(member);
        if (node == null || node.isNull()) {
            throw new IOException("QMP reply lacks '" + member + "': " + value);
        }
        return node;
    }
}
