package io.jvirt.driver.save;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.nativeio.NativeIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaveWriterFailureTest {
    private static final int EPIPE = 32;

    @TempDir
    Path dir;

    private final List<SaveWriter> writers = new ArrayList<>();

    @AfterEach
    void abortLeftovers() {
        writers.forEach(SaveWriter::close);
    }

    private SaveWriter start(Path image, long offset, SaveFormat format, String domain, ProgramSearch programs) {
        SaveWriter writer = SaveWriter.start(image, offset, format, domain, programs);
        writers.add(writer);
        return writer;
    }

    @Test
    void missingCompressorFailsBeforeTheImageIsTouched() throws Exception {
        Path image = dir.resolve("missing.save");
        long offset = SaveFixtures.writePreamble(image, SaveFormat.LZOP, "missing");
        byte[] before = Files.readAllBytes(image);
        Path emptyDir = Files.createDirectory(dir.resolve("bin"));

        assertThatThrownBy(() -> start(image, offset, SaveFormat.LZOP, "missing", new ProgramSearch(List.of(emptyDir))))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_FAILED))
                .hasMessageContaining("Compression program for lzop image format");
        assertThat(Files.readAllBytes(image)).isEqualTo(before);
        assertThat(SaveFixtures.pumpThreadsAlive("missing")).isFalse();
    }

    @Test
    void compressorKilledMidwayIsReportedAndQemuIsNotLeftBlocked() throws Exception {
        String domain = "killed";
        Path image = dir.resolve("killed.save");
        long offset = SaveFixtures.writePreamble(image, SaveFormat.GZIP, domain);
        SaveWriter writer = start(image, offset, SaveFormat.GZIP, domain, ProgramSearch.system());
        var qemu = FakeQemuStream.writeUntilRefused(writer.qemuFd());
        writer.closeQemuFd();
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.bytesWritten() > 2 * 1024 * 1024);

        ProcessHandle gzip = writer.compressor().orElseThrow();
        gzip.destroyForcibly();

        assertThatThrownBy(() -> writer.awaitDone(SaveFixtures.PUMP_TIMEOUT))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_FAILED))
                .hasMessageContaining(image.toString())
                .hasMessageContaining("gzip was killed by signal 9");
        assertThat(writer.failure()).get().asString().contains("gzip was killed by signal 9");
        assertRefusedWithEpipe(qemu.result());
        assertThat(gzip.isAlive()).isFalse();
        assertThat(SaveFixtures.pumpThreadsAlive(domain)).isFalse();
    }

    @Test
    void failingCompressorReportsItsStderr() throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        SaveFixtures.fakeProgram(bin, "xz", "echo 'xz: no room for the dictionary' >&2; exit 3");
        String domain = "stderr";
        Path image = dir.resolve("stderr.save");
        long offset = SaveFixtures.writePreamble(image, SaveFormat.XZ, domain);
        SaveWriter writer = start(image, offset, SaveFormat.XZ, domain, new ProgramSearch(List.of(bin)));
        var qemu = FakeQemuStream.write(writer.qemuFd(), SaveFixtures.patterned(256 * 1024));
        writer.closeQemuFd();

        assertThatThrownBy(() -> writer.awaitDone(SaveFixtures.PUMP_TIMEOUT))
                .isInstanceOf(VirtException.class)
                .hasMessageContaining("xz exited with status 3: xz: no room for the dictionary");
        try {
            qemu.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException refused) {
            // Whether QEMU's last writes still fit in the pipe depends on timing; both ends are fine.
        }
        assertThat(SaveFixtures.pumpThreadsAlive(domain)).isFalse();
    }

    @Test
    void abortUnblocksQemuStuckOnAFullPipe() throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        // A compressor that never reads: the pump blocks on its stdin and the pipe from QEMU fills up.
        SaveFixtures.fakeProgram(bin, "gzip", "exec sleep 600");
        String domain = "stuck";
        Path image = dir.resolve("stuck.save");
        long offset = SaveFixtures.writePreamble(image, SaveFormat.GZIP, domain);
        SaveWriter writer = start(image, offset, SaveFormat.GZIP, domain, new ProgramSearch(List.of(bin)));
        var qemu = FakeQemuStream.writeUntilRefused(writer.qemuFd());
        writer.closeQemuFd();
        ProcessHandle compressor = writer.compressor().orElseThrow();
        // More than the 1 MiB QEMU pipe holds: the pump has taken data and is stuck on the compressor's stdin, and
        // since all buffers on the way add up to about 2 MiB, QEMU is about to block (or already blocks).
        await().atMost(Duration.ofSeconds(30)).until(() -> qemu.written().get() > 1024 * 1024);
        assertThat(qemu.result()).isNotDone();

        writer.abort();

        assertRefusedWithEpipe(qemu.result());
        assertThat(compressor.isAlive()).isFalse();
        assertThatThrownBy(() -> writer.awaitDone(SaveFixtures.PUMP_TIMEOUT))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_ABORTED));
        assertThat(writer.failure()).isEmpty();
        assertThat(SaveFixtures.pumpThreadsAlive(domain)).isFalse();
    }

    @Test
    void rawAbortEndsThePumpOnceQemuStops() throws Exception {
        String domain = "rawabort";
        Path image = dir.resolve("rawabort.save");
        long offset = SaveFixtures.writePreamble(image, SaveFormat.RAW, domain);
        SaveWriter writer = start(image, offset, SaveFormat.RAW, domain, ProgramSearch.system());
        var qemu = FakeQemuStream.writeUntilRefused(writer.qemuFd());
        writer.closeQemuFd();
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.bytesWritten() > 1024 * 1024);

        writer.abort();

        assertRefusedWithEpipe(qemu.result());
        assertThatThrownBy(() -> writer.awaitDone(SaveFixtures.PUMP_TIMEOUT))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_ABORTED));
        assertThat(SaveFixtures.pumpThreadsAlive(domain)).isFalse();
    }

    @Test
    void imageShorterThanItsPreambleIsRefused() throws Exception {
        Path image = Files.write(dir.resolve("short.save"), new byte[10]);
        assertThatThrownBy(() -> start(image, 5000, SaveFormat.RAW, "short", ProgramSearch.system()))
                .isInstanceOf(VirtException.class)
                .hasMessageContaining("shorter than its preamble");
        assertThat(Files.size(image)).isEqualTo(10);
    }

    private static void assertRefusedWithEpipe(java.util.concurrent.CompletableFuture<Void> qemu) {
        assertThatThrownBy(() -> qemu.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        NativeIOException.class, e -> assertThat(e.errno()).isEqualTo(EPIPE));
    }
}
