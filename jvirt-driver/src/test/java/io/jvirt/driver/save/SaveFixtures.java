package io.jvirt.driver.save;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Shared test data and steps: patterned stream bytes, image preambles, a complete save, fake programs. */
final class SaveFixtures {
    static final Duration PUMP_TIMEOUT = Duration.ofSeconds(60);
    static final String XML = "<domain type='qemu'><name>%s</name><memory unit='KiB'>65536</memory></domain>";

    private SaveFixtures() {}

    /**
     * Bytes that look like a memory image: words from a small vocabulary in a seeded random order, with runs of
     * zero pages. Compressible, but not a single repeated byte that would hide copy mistakes.
     */
    static byte[] patterned(int size) {
        String[] words = {"kernel ", "page ", "0xdeadbeef ", "vcpu ", "tlb ", "\n", "mmio ", "guest "};
        Random random = new Random(size);
        byte[] out = new byte[size];
        int at = 0;
        while (at < size) {
            byte[] piece = random.nextInt(16) == 0
                    ? new byte[4096]
                    : (words[random.nextInt(words.length)] + random.nextInt(1000)).getBytes(StandardCharsets.US_ASCII);
            int n = Math.min(piece.length, size - at);
            System.arraycopy(piece, 0, out, at, n);
            at += n;
        }
        return out;
    }

    /** Creates {@code image} with a partial-magic preamble for {@code domain}; returns the stream offset. */
    static long writePreamble(Path image, SaveFormat format, String domain) throws IOException {
        try (FileChannel file = FileChannel.open(
                image, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            return SaveImage.writePreamble(
                    file, SaveImageHeader.partial(true, format), XML.formatted(domain), "<qemu-migration/>");
        }
    }

    /** A complete image holding {@code stream}, written the way the driver will: preamble, pump, final magic. */
    static void saveImage(Path image, SaveFormat format, String domain, byte[] stream) throws Exception {
        long offset = writePreamble(image, format, domain);
        try (SaveWriter writer = SaveWriter.start(image, offset, format, domain)) {
            var qemu = FakeQemuStream.write(writer.qemuFd(), stream);
            writer.closeQemuFd();
            qemu.get(PUMP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            writer.awaitDone(PUMP_TIMEOUT);
        }
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.WRITE)) {
            SaveImage.markComplete(file);
        }
    }

    /** An executable shell script called {@code name} in {@code dir}, standing in for a compressor. */
    static Path fakeProgram(Path dir, String name, String body) throws IOException {
        Path program = dir.resolve(name);
        Files.writeString(program, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        return program;
    }

    /** Whether any thread working for {@code domain} (pump, feed, stderr reader) is still alive. */
    static boolean pumpThreadsAlive(String domain) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().contains("[" + domain + "]"));
    }
}
