package io.jvirt.driver.root;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFiles}: a write cut short never damages the file it replaces, and its leftovers are cleaned. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWriteThatDiesHalfwayLeavesTheOldContent() throws Exception {
        Path target = dir.resolve("g1.xml");
        AtomicFiles.write(target, "<domain>old</domain>\n");

        // The new content is half written when the writer "crashes".
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
                    out.write("<domain>ne".getBytes(StandardCharsets.UTF_8));
                    throw new IOException("simulated crash");
                }))
                .isInstanceOf(IOException.class)
                .hasMessage("simulated crash");

        assertThat(target).hasContent("<domain>old</domain>");
        assertThat(names()).containsExactly("g1.xml");
    }

    @Test
    void aWriteReplacesTheWholeFile() throws Exception {
        Path target = dir.resolve("sub/g1.xml");
        AtomicFiles.write(target, "a much longer first content\n");
        AtomicFiles.write(target, "short\n");

        assertThat(target).hasContent("short");
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void tempFilesOfKilledWritersAreRemovedThoseOfLiveOnesKept() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long live = ProcessHandle.current().pid();
        Files.writeString(dir.resolve("g1.xml"), "<domain>whole</domain>\n");
        Files.writeString(dir.resolve(".g1.xml.tmp-" + gone.pid() + "-3"), "<domain>to");
        Files.writeString(dir.resolve(".g2.state.tmp-" + gone.pid()), "pau"); // an older writer's name
        Files.writeString(dir.resolve(".g1.xml.tmp-" + live + "-9"), "<domain>in prog");

        List<Path> removed = AtomicFiles.removeStaleTemps(dir);

        assertThat(removed)
                .extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder(".g1.xml.tmp-" + gone.pid() + "-3", ".g2.state.tmp-" + gone.pid());
        assertThat(names()).containsExactly(".g1.xml.tmp-" + live + "-9", "g1.xml");
        assertThat(dir.resolve("g1.xml")).hasContent("<domain>whole</domain>");
    }

    @Test
    void concurrentWritersAndAReaderNeverSeeATornFile() throws Exception {
        Path target = dir.resolve("status.xml");
        AtomicFiles.write(target, "x".repeat(10_000) + "\n");
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> writers = new ArrayList<>();
            for (char c : "abc".toCharArray()) {
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        AtomicFiles.write(target, String.valueOf(c).repeat(10_000) + "\n");
                    }
                    return null;
                }));
            }
            Future<?> reader = pool.submit(() -> {
                while (!writers.stream().allMatch(Future::isDone)) {
                    String s = Files.readString(target).strip();
                    assertThat(s).hasSize(10_000);
                    assertThat(s.chars().distinct().count()).isEqualTo(1);
                    seen.add(s.substring(0, 1));
                }
                return null;
            });
            for (Future<?> w : writers) {
                w.get(60, TimeUnit.SECONDS);
            }
            reader.get(60, TimeUnit.SECONDS);
        }
        assertThat(names()).containsExactly("status.xml");
        assertThat(seen).isNotEmpty();
    }
}
