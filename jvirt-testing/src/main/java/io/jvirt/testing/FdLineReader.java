package io.jvirt.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits received bytes into lines and gives each line the fds that came with it. The kernel delivers fds with the
 * bytes of the sendmsg that carried them and ends a read right after such a message, so fds belong to the last
 * line that begins in the chunk they arrived with (or to the line in progress if none begins there).
 * Not thread safe: owned by the fake's connection thread.
 */
final class FdLineReader {
    /** One line (newline and CR dropped) and its fds. */
    record Line(byte[] bytes, List<Integer> fds) {}

    private final int maxLineBytes;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final Map<Long, List<Integer>> fdsByLine = new HashMap<>();
    private long lineIndex;

    FdLineReader(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    List<Line> feed(byte[] b, int n, List<Integer> fds) throws IOException {
        if (!fds.isEmpty()) {
            long index = lineIndex;
            long lastStart = partial.size() == 0 ? index : -1;
            for (int i = 0; i < n; i++) {
                if (b[i] == '\n') {
                    index++;
                    if (i + 1 < n) {
                        lastStart = index;
                    }
                }
            }
            fdsByLine
                    .computeIfAbsent(lastStart < 0 ? lineIndex : lastStart, k -> new ArrayList<>())
                    .addAll(fds);
        }
        List<Line> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (b[i] == '\n') {
                partial.write(b, start, i - start);
                byte[] line = partial.toByteArray();
                int length = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
                List<Integer> lineFds = fdsByLine.remove(lineIndex++);
                lines.add(new Line(java.util.Arrays.copyOf(line, length), lineFds == null ? List.of() : lineFds));
                partial.reset();
                start = i + 1;
            }
        }
        partial.write(b, start, n - start);
        if (partial.size() > maxLineBytes) {
            throw new IOException("fake QMP: line longer than " + maxLineBytes + " bytes");
        }
        return lines;
    }

    /** Fds received for lines never completed; the caller closes them. */
    List<Integer> leftoverFds() {
        List<Integer> all = new ArrayList<>();
        fdsByLine.values().forEach(all::addAll);
        fdsByLine.clear();
        return all;
    }
}
