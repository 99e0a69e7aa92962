package io.jvirt.qmp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFramerTest {
    /** A QEMU 10.0 session as it appears on the socket (CRLF line ends), including a multi-byte UTF-8 string. */
    private static final String TRANSCRIPT = String.join(
            "\r\n",
            "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 2, \"minor\": 0, \"major\": 10}, \"package\": \"Debian 1:10.0.2+ds-2\"}, \"capabilities\": [\"oob\"]}}",
            "{\"return\": {}, \"id\": 1}",
            "{\"return\": {\"status\": \"prelaunch\", \"running\": false}, \"id\": 2}",
            "{\"timestamp\": {\"seconds\": 1764105000, \"microseconds\": 123456}, \"event\": \"RESUME\"}",
            "{\"return\": {}, \"id\": 3}",
            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Fichier « mig » introuvable\"}, \"id\": 4}",
            "{\"timestamp\": {\"seconds\": 1764105001, \"microseconds\": 5}, \"event\": \"STOP\"}",
            "");

    private static final List<String> MESSAGES =
            TRANSCRIPT.lines().filter(l -> !l.isEmpty()).toList();

    private static List<String> strings(List<byte[]> lines) {
        return lines.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void transcriptSplitAtEveryOffsetDecodesTheSameMessagesOnce() throws Exception {
        byte[] bytes = TRANSCRIPT.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++) {
            LineFramer framer = new LineFramer(1 << 20);
            List<String> got = new ArrayList<>(strings(framer.feed(bytes, 0, split)));
            got.addAll(strings(framer.feed(bytes, split, bytes.length - split)));
            assertThat(got).as("split at %d", split).isEqualTo(MESSAGES);
            assertThat(framer.pendingBytes()).isZero();
        }
    }

    @Test
    void transcriptFedByteByByteDecodesTheSameMessagesOnce() throws Exception {
        byte[] bytes = TRANSCRIPT.getBytes(StandardCharsets.UTF_8);
        LineFramer framer = new LineFramer(1 << 20);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < bytes.length; i++) {
            got.addAll(strings(framer.feed(bytes, i, 1)));
        }
        assertThat(got).isEqualTo(MESSAGES);
    }

    @Test
    void everyMessageOfTheTranscriptDecodes() throws Exception {
        byte[] bytes = TRANSCRIPT.getBytes(StandardCharsets.UTF_8);
        List<QmpMessage> decoded = new ArrayList<>();
        for (byte[] line : new LineFramer(1 << 20).feed(bytes, 0, bytes.length)) {
            decoded.add(QmpCodec.decode(line));
        }
        assertThat(decoded)
                .extracting(m -> m.getClass().getSimpleName())
                .containsExactly("Greeting", "Return", "Return", "Event", "Return", "Error", "Event");
        assertThat(((QmpMessage.Error) decoded.get(5)).description()).isEqualTo("Fichier « mig » introuvable");
    }

    @Test
    void aMessageLongerThanTheLimitFailsEvenWhenItArrivesInPieces() throws Exception {
        LineFramer framer = new LineFramer(100);
        byte[] chunk = "x".repeat(60).getBytes(StandardCharsets.US_ASCII);
        assertThat(framer.feed(chunk, 0, chunk.length)).isEmpty();
        assertThatThrownBy(() -> framer.feed(chunk, 0, chunk.length))
                .isInstanceOf(LineFramer.FrameTooLongException.class)
                .hasMessageContaining("100 bytes");
    }

    @Test
    void aMessageOfExactlyTheLimitIsAccepted() throws Exception {
        LineFramer framer = new LineFramer(100);
        byte[] line = ("y".repeat(100) + "\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(framer.feed(line, 0, line.length))
                .singleElement()
                .satisfies(b -> assertThat(b).hasSize(100));
    }
}
