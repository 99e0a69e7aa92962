package io.jvirt.qmp.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvirt.qmp.MonitorEvent;
import java.util.Map;

/**
 * Maps QMP events to {@link MonitorEvent} records: one table row per event the driver acts on; any other
 * event becomes {@link MonitorEvent.Other}. Adding a typed event = one record plus one row here.
 */
final class EventDecoder {
    @FunctionalInterface
    private interface Row {
        MonitorEvent decode(long micros, JsonNode data);
    }

    private static final Map<String, Row> TABLE = Map.of(
            "STOP", (t, d) -> new MonitorEvent.Stop(t),
            "RESUME", (t, d) -> new MonitorEvent.Resume(t),
            "SHUTDOWN",
                    (t, d) -> new MonitorEvent.Shutdown(
                            t,
                            d.path("guest").asBoolean(false),
                            d.path("reason").asText("")),
            "POWERDOWN", (t, d) -> new MonitorEvent.Powerdown(t),
            "RESET",
                    (t, d) -> new MonitorEvent.Reset(
                            t,
                            d.path("guest").asBoolean(false),
                            d.path("reason").asText("")),
            "MIGRATION",
                    (t, d) -> new MonitorEvent.Migration(t, d.path("status").asText("")),
            "MIGRATION_PASS",
                    (t, d) -> new MonitorEvent.MigrationPass(t, d.path("pass").asLong()),
            "DUMP_COMPLETED",
                    (t, d) -> new MonitorEvent.DumpCompleted(
                            t,
                            QmpReplies.dumpStatus(d.path("result")),
                            d.hasNonNull("error") ? d.get("error").asText() : null));

    private EventDecoder() {}

    static MonitorEvent decode(QmpMessage.Event event) {
        Row row = TABLE.get(event.name());
        if (row != null) {
            return row.decode(event.timestampMicros(), event.data());
        }
        return new MonitorEvent.Other(event.timestampMicros(), event.name(), QmpCodec.toPlainMap(event.data()));
    }
}
