package io.jvirt.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The scratch folder of a fuzz target whose decoder reads files: made once per JVM (the fuzzer reuses one test
 * instance for every input), rewritten per input, removed with everything in it after the target's last input.
 */
public final class FuzzScratch {
    private FuzzScratch() {}

    /** A new empty folder under {@code java.io.tmpdir}. */
    public static Path directory() {
        try {
            return Files.createTempDirectory("jvirt-fuzz-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes {@code dir} and everything below it. */
    public static void delete(Path dir) throws IOException {
        List<Path> all;
        try (Stream<Path> files = Files.walk(dir)) {
            all = files.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            Files.delete(p);
        }
    }
}
