package io.jvirt.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Remembers {@link KernelPackage#resolve}'s answer in the guest cache, because apt-cache takes about a second
 * per query on hosts without apt's binary cache, and every test JVM asks. The answer is reused while apt's
 * package lists and sources are unchanged (same file count and newest modification time), which is exactly
 * when apt-cache would answer the same. Any thread; concurrent writers each replace the memo atomically.
 */
final class KernelPackageMemo {
    private static final String MEMO_FILE = "kernel-package.txt";
    private static final List<Path> APT_STATE = List.of(Path.of("/var/lib/apt/lists"), Path.of("/etc/apt"));
    private static final int MAX_DEPTH = 2;

    private KernelPackageMemo() {}

    /** The kernel package apt would pick now, from the memo in {@code cacheDir} when apt's state is unchanged. */
    static KernelPackage resolve(Path cacheDir) {
        String fingerprint = aptFingerprint();
        Path memo = cacheDir.resolve(MEMO_FILE);
        try {
            if (Files.isRegularFile(memo)) {
                List<String> lines = Files.readAllLines(memo, StandardCharsets.UTF_8);
                if (lines.size() == 3 && lines.get(0).equals(fingerprint)) {
                    return new KernelPackage(lines.get(1), lines.get(2));
                }
            }
        } catch (IOException | RuntimeException e) {
            // An unreadable or garbled memo is only a lost shortcut: ask apt.
        }
        KernelPackage resolved = KernelPackage.resolve(cacheDir);
        try {
            Path temp = Files.createTempFile(cacheDir, ".memo-", ".txt");
            Files.writeString(
                    temp,
                    fingerprint + "\n" + resolved.name() + "\n" + resolved.version() + "\n",
                    StandardCharsets.UTF_8);
            Files.move(temp, memo, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // Not remembering only costs the next caller a query.
        }
        return resolved;
    }

    private static String aptFingerprint() {
        long newest = 0;
        long count = 0;
        for (Path root : APT_STATE) {
            try (Stream<Path> files = Files.walk(root, MAX_DEPTH)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    newest = Math.max(newest, f.toFile().lastModified());
                    count++;
                }
            } catch (IOException | RuntimeException e) {
                // Unreadable apt state: the fingerprint still differs from a readable one.
                count -= 1_000_000;
            }
        }
        return "apt-state " + count + " " + newest;
    }
}
