package io.jvirt.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpioArchiveTest {
    @TempDir
    Path dir;

    private static byte[] sample() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CpioArchive cpio = new CpioArchive(bytes)) {
            cpio.directory("bin", 0755);
            cpio.file("bin/hello", 0755, "hi there\n".getBytes(StandardCharsets.UTF_8));
            cpio.symlink("bin/sh", "hello");
            cpio.directory("dev", 0755);
            cpio.charDevice("dev/console", 0600, 5, 1);
        }
        return bytes.toByteArray();
    }

    @Test
    void entriesAndTheArchiveAreFourByteAlignedAndEndWithTheTrailer() throws IOException {
        byte[] archive = sample();
        assertThat(archive.length % 4).isZero();
        String text = new String(archive, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("070701").contains("TRAILER!!!\0");
        assertThat(sample()).isEqualTo(archive);
    }

    @Test
    void cpioListsWhatWasWritten() throws Exception {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/cpio")) || Files.isExecutable(Path.of("/bin/cpio")),
                "cpio(1) is not installed");
        Path archive = dir.resolve("test.cpio");
        Files.write(archive, sample());
        Process cpio = new ProcessBuilder("cpio", "-itv", "-F", archive.toString())
                .redirectErrorStream(true)
                .start();
        String listing = new String(cpio.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cpio.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cpio.exitValue()).as(listing).isZero();
        assertThat(listing)
                .containsPattern("(?m)^-rwxr-xr-x .* 9 .* bin/hello$")
                .containsPattern("(?m)^lrwxrwxrwx .* bin/sh -> hello$")
                .containsPattern("(?m)^crw------- .* 5, +1 .* dev/console$")
                .containsPattern("(?m)^drwxr-xr-x .* bin$");
    }
}
