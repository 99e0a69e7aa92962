package io.jvirt.daemon.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.nativeio.UnixDatagram;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journald output against a stand-in journal socket: one datagram per record in the native protocol. */
class JournaldHandlerTest {
    @TempDir
    Path dir;

    @Test
    void oneDatagramPerRecordWithPriorityIdentifierAndLogger() throws Exception {
        Path socket = dir.resolve("journal.sock");
        try (UnixDatagram journal = UnixDatagram.bind(socket)) {
            JournaldHandler h = new JournaldHandler(socket);
            try {
                LogRecord r = new LogRecord(Level.WARNING, "migration of {0} failed");
                r.setParameters(new Object[] {"g1"});
                r.setLoggerName("io.jvirt.daemon.migration");
                h.publish(r);
                String entry = new String(journal.receive(65536), StandardCharsets.UTF_8);
                assertThat(entry.lines().toList())
                        .containsExactly(
                                "MESSAGE=migration of g1 failed",
                                "PRIORITY=4",
                                "SYSLOG_IDENTIFIER=jvirtd",
                                "JVIRT_LOGGER=io.jvirt.daemon.migration");
            } finally {
                h.close();
            }
        }
    }

    @Test
    void aValueWithANewlineGoesLengthPrefixed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JournaldHandler.field(out, "MESSAGE", "a\nb");
        byte[] expected = {'M', 'E', 'S', 'S', 'A', 'G', 'E', '\n', 3, 0, 0, 0, 0, 0, 0, 0, 'a', '\n', 'b', '\n'};
        assertThat(out.toByteArray()).isEqualTo(expected);
        assertThat(List.of(Level.SEVERE, Level.WARNING, Level.INFO, Level.FINE).stream()
                        .map(JournaldHandler::priority)
                        .toList())
                .containsExactly(3, 4, 6, 7);
    }
}
