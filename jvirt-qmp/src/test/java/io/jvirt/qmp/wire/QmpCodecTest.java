package io.jvirt.qmp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.qmp.MonitorEvent;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QmpCodecTest {

    private static QmpMessage decode(String json) throws Exception {
        return QmpCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void commandCarriesExecuteArgumentsAndIdOnOneLine() {
        byte[] line = QmpCodec.encodeCommand("getfd", Map.of("fdname", "mig"), 7);
        assertThat(new String(line, StandardCharsets.UTF_8))
                .isEqualTo("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"mig\"},\"id\":7}\n");
        assertThat(new String(QmpCodec.encodeCommand("stop", null, 8), StandardCharsets.UTF_8))
                .isEqualTo("{\"execute\":\"stop\",\"id\":8}\n");
    }

    @Test
    void greetingGivesTheVersion() throws Exception {
        assertThat(
                        decode(
                                "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 2, \"minor\": 0, \"major\": 10}, \"package\": \"\"}, \"capabilities\": []}}"))
                .isEqualTo(new QmpMessage.Greeting(10, 0, 2));
    }

    @Test
    void errorsKeepClassDescriptionAndId() throws Exception {
        assertThat(decode("{\"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"no such device\"}, \"id\": 12}"))
                .isEqualTo(new QmpMessage.Error(12L, "DeviceNotFound", "no such device"));
        assertThat(decode("{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error\"}}"))
                .isEqualTo(new QmpMessage.Error(null, "GenericError", "JSON parse error"));
    }

    @Test
    void repliesWithForeignIdsHaveNoId() throws Exception {
        assertThat(((QmpMessage.Return) decode("{\"return\": {}, \"id\": \"libvirt-3\"}")).id())
                .isNull();
    }

    @Test
    void eventTimestampBecomesMicroseconds() throws Exception {
        QmpMessage.Event event = (QmpMessage.Event)
                decode(
                        "{\"timestamp\": {\"seconds\": 1764105000, \"microseconds\": 123456}, \"event\": \"SHUTDOWN\", \"data\": {\"guest\": true, \"reason\": \"guest-shutdown\"}}");
        assertThat(event.timestampMicros()).isEqualTo(1_764_105_000_123_456L);
        assertThat(EventDecoder.decode(event))
                .isEqualTo(new MonitorEvent.Shutdown(1_764_105_000_123_456L, true, "guest-shutdown"));
    }

    @Test
    void typedEventsDecodeTheirData() throws Exception {
        String ts = "\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}";
        assertThat(EventDecoder.decode((QmpMessage.Event) decode("{" + ts + ", \"event\": \"STOP\"}")))
                .isEqualTo(new MonitorEvent.Stop(1_000_002L));
        assertThat(EventDecoder.decode((QmpMessage.Event) decode("{" + ts + ", \"event\": \"RESUME\"}")))
                .isEqualTo(new MonitorEvent.Resume(1_000_002L));
        assertThat(EventDecoder.decode((QmpMessage.Event) decode("{" + ts + ", \"event\": \"POWERDOWN\"}")))
                .isEqualTo(new MonitorEvent.Powerdown(1_000_002L));
        assertThat(
                        EventDecoder.decode(
                                (QmpMessage.Event)
                                        decode(
                                                "{" + ts
                                                        + ", \"event\": \"RESET\", \"data\": {\"guest\": false, \"reason\": \"host-qmp-system-reset\"}}")))
                .isEqualTo(new MonitorEvent.Reset(1_000_002L, false, "host-qmp-system-reset"));
        assertThat(EventDecoder.decode((QmpMessage.Event)
                        decode("{" + ts + ", \"event\": \"MIGRATION\", \"data\": {\"status\": \"completed\"}}")))
                .isEqualTo(new MonitorEvent.Migration(1_000_002L, "completed"));
        assertThat(EventDecoder.decode((QmpMessage.Event)
                        decode("{" + ts + ", \"event\": \"MIGRATION_PASS\", \"data\": {\"pass\": 3}}")))
                .isEqualTo(new MonitorEvent.MigrationPass(1_000_002L, 3));
    }

    @Test
    void unknownEventsKeepNameAndPlainData() throws Exception {
        MonitorEvent event = EventDecoder.decode(
                (QmpMessage.Event)
                        decode(
                                "{\"timestamp\": {\"seconds\": 5, \"microseconds\": 0}, \"event\": \"BLOCK_JOB_READY\", \"data\": {\"device\": \"d0\", \"len\": 1048576, \"offset\": null}}"));
        assertThat(event).isInstanceOf(MonitorEvent.Other.class);
        MonitorEvent.Other other = (MonitorEvent.Other) event;
        assertThat(other.name()).isEqualTo("BLOCK_JOB_READY");
        assertThat(other.data())
                .containsEntry("device", "d0")
                .containsEntry("len", 1_048_576L)
                .containsEntry("offset", null);
    }

    @Test
    void plainValuesUseLongDoubleBooleanListAndMap() throws Exception {
        QmpMessage.Return reply = (QmpMessage.Return)
                decode(
                        "{\"return\": {\"n\": 1, \"big\": 18446744073709551615, \"f\": 0.5, \"b\": true, \"s\": \"x\", \"l\": [1, {\"k\": []}]}, \"id\": 1}");
        Map<String, Object> plain = QmpCodec.toPlainMap(reply.value());
        assertThat(plain)
                .containsEntry("n", 1L)
                .containsEntry("f", 0.5)
                .containsEntry("b", true)
                .containsEntry("s", "x")
                .containsEntry("big", new BigInteger("18446744073709551615"))
                .containsEntry("l", List.of(1L, Map.of("k", List.of())));
    }

    @Test
    void garbageIsAProtocolError() {
        assertThatThrownBy(() -> decode("[1,2]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> decode("{\"return\": ")).isInstanceOf(java.io.IOException.class);
    }
}
