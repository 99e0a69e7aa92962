package io.jvirt.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FdLineReaderTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static List<FdLineReader.Line> feed(FdLineReader reader, String chunk, Integer... fds) throws Exception {
        byte[] b = bytes(chunk);
        return reader.feed(b, b.length, List.of(fds));
    }

    @Test
    void fdsBelongToTheLineThatStartsInTheirChunk() throws Exception {
        FdLineReader reader = new FdLineReader(1024);
        assertThat(feed(reader, "{\"a\":1}\n{\"b\""))
                .extracting(l -> new String(l.bytes()))
                .containsExactly("{\"a\":1}");
        List<FdLineReader.Line> lines = feed(reader, ":2}\r\n{\"getfd\"", 42);
        assertThat(lines).singleElement().satisfies(l -> assertThat(l.fds()).isEmpty());
        lines = feed(reader, "}\n");
        assertThat(lines).singleElement().satisfies(l -> {
            assertThat(new String(l.bytes())).isEqualTo("{\"getfd\"}");
            assertThat(l.fds()).containsExactly(42);
        });
    }

    @Test
    void fdsArrivingMidLineBelongToThatLine() throws Exception {
        FdLineReader reader = new FdLineReader(1024);
        feed(reader, "{\"execute\":");
        List<FdLineReader.Line> lines = feed(reader, "\"add-fd\"}\n", 7, 8);
        assertThat(lines).singleElement().satisfies(l -> assertThat(l.fds()).containsExactly(7, 8));
        assertThat(reader.leftoverFds()).isEmpty();
    }

    @Test
    void fdsOfAnUnfinishedLineAreHandedBackAsLeftovers() throws Exception {
        FdLineReader reader = new FdLineReader(1024);
        assertThat(feed(reader, "{\"partial", 9)).isEmpty();
        assertThat(reader.leftoverFds()).containsExactly(9);
    }

    @Test
    void overlongLinesAreRefused() {
        FdLineReader reader = new FdLineReader(8);
        assertThatThrownBy(() -> feed(reader, "123456789")).hasMessageContaining("longer than 8");
    }
}
