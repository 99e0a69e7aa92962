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
 *
 * <p>It lives in memory ({@code /dev/shm}) where the machine has that: on ext4, a file cut to nothing and written
 * again is flushed to disk when closed (its {@code auto_da_alloc} guard), about 2 ms per input, which made the
 * targets that read files wait on the disk for two thirds of their time. The decoders read the same file either way.
 */
public final class FuzzScratch {
    private static final Path MEMORY = Path.of("/dev/shm");

    private FuzzScratch() {}

    /** A new empty folder under {@code /dev/shm}, or under {@code java.io.tmpdir} where that is not writable. */
    public static Path directory() {
        try {
            if (Files.isDirectory(MEMORY) && Files.isWritable(MEMORY)) {
                return Files.createTempDirectory(MEMORY, "jvirt-fuzz-");
            }
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
