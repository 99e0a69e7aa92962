package io.jvirt.qmp.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jvirt.testing.DecoderContract;
import java.io.IOException;
import java.util.List;

/**
 * Fuzzes what a QEMU monitor sends as the monitor's reader meets it: bytes cut into lines by the {@link LineFramer},
 * each line decoded by {@link QmpCodec}, every {@code "return"} value put through every typed reply decoder of
 * {@link QmpReplies} (any command's reply may be malformed) and every event through {@link EventDecoder}. A protocol
 * error is an {@link IOException} (Jackson's parse errors are ones); nothing else may escape, and no input may make
 * the reader allocate more than a few times the framer's bound.
 */
class QmpMessageFuzzTest {
    private static final DecoderContract CONTRACT =
            DecoderContract.of(4L * QmpMonitor.MAX_MESSAGE_BYTES, List.of(IOException.class));
    private static final List<QmpReplies.Decoder<?>> REPLIES = List.of(
            QmpReplies.NONE,
            QmpReplies.STATUS,
            QmpReplies.ADD_FD,
            QmpReplies.MIGRATION_STATS,
            QmpReplies.MIGRATION_PARAMETERS,
            QmpReplies.MIGRATION_CAPABILITIES,
            QmpReplies.DUMP_STATUS,
            QmpReplies.PLAIN);

    @FuzzTest(maxDuration = "10s")
    void messages(byte[] input) throws Exception {
        CONTRACT.check(() -> {
            LineFramer framer = new LineFramer(QmpMonitor.MAX_MESSAGE_BYTES);
            for (byte[] line : framer.feed(input, 0, input.length)) {
                decode(line);
            }
        });
    }

    private static void decode(byte[] line) throws IOException {
        switch (QmpCodec.decode(line)) {
            case QmpMessage.Return r -> {
                for (QmpReplies.Decoder<?> decoder : REPLIES) {
                    try {
                        decoder.decode(r.value());
                    } catch (IOException e) {
                        // this command's reply does not look like that: the monitor fails that one call
                    }
                }
            }
            case QmpMessage.Event e -> EventDecoder.decode(e);
            default -> {}
        }
    }
}
