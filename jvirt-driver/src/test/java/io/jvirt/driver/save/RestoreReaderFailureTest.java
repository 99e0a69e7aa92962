package io.jvirt.driver.save;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.nativeio.NativeFds;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RestoreReaderFailureTest {
    private static final byte[] STREAM = SaveFixtures.patterned(3 * 1024 * 1024);

    @TempDir
    Path dir;

    private final List<RestoreReader> readers = new ArrayList<>();

    @AfterEach
    void abortLeftovers() {
        readers.forEach(RestoreReader::close);
    }

    private RestoreReader start(Path image, long offset, SaveFormat format, String domain, ProgramSearch programs) {
        RestoreReader reader = RestoreReader.start(image, offset, format, domain, programs);
        readers.add(reader);
        return reader;
    }

    @ParameterizedTest
    @EnumSource(value = SaveFormat.class, names = "RAW", mode = EnumSource.Mode.EXCLUDE)
    void truncatedCompressedImageFailsNamingTheDecompressor(SaveFormat format) throws Exception {
        String domain = "truncated-" + format.formatName();
        Path image = dir.resolve(domain + ".save");
        SaveFixtures.saveImage(image, format, domain, STREAM);
        SaveImage saved = SaveImage.open(image);
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.WRITE)) {
            file.truncate(saved.streamOffset() + (file.size() - saved.streamOffset()) / 2);
        }

        RestoreReader reader = start(image, saved.streamOffset(), format, domain, ProgramSearch.system());
        var qemu = FakeQemuStream.readAll(reader.qemuFd());
        reader.closeQemuFd();

        assertThat(qemu.get(60, TimeUnit.SECONDS).length)
                .as("QEMU sees the stream end early")
                .isLessThan(STREAM.length);
        assertThatThrownBy(() -> reader.awaitDone(SaveFixtures.PUMP_TIMEOUT))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_FAILED))
                .hasMessageContaining(image.toString())
                .hasMessageContaining(format.formatName() + " exited with status");
        assertThat(reader.failure()).isPresent();
        assertThat(SaveFixtures.pumpThreadsAlive(domain)).isFalse();
        assertThat(reader.decompressor().orElseThrow().isAlive()).isFalse();
    }

    @Test
    void corruptGzipImageFails() throws Exception {
        String domain = "corrupt";
        Path image = dir.resolve("corrupt.save");
        SaveFixtures.saveImage(image, SaveFormat.GZIP, domain, STREAM);
        SaveImage saved = SaveImage.open(image);
        byte[] bytes = Files.readAllBytes(image);
        int middle = (int) (saved.streamOffset() + (bytes.length - saved.streamOffset()) / 2);
        for (int i = middle; i < middle + 64; i++) {
            bytes[i] ^= (byte) 0x5a;
        }
        Files.write(image, bytes);

        RestoreReader reader = start(image, saved.streamOffset(), SaveFormat.GZIP, domain, ProgramSearch.system());
        var qemu = FakeQemuStream.readAll(reader.qemuFd());
        reader.closeQemuFd();
        qemu.get(60, TimeUnit.SECONDS);

        assertThatThrownBy(() -> reader.awaitDone(SaveFixtures.PUMP_TIMEOUT))
                .isInstanceOf(VirtException.class)
                .hasMessageContaining("gzip exited with status");
        assertThat(SaveFixtures.pumpThreadsAlive(domain)).isFalse();
    }

    @Test
    void missingDecompressorFailsBeforeStarting() throws Exception {
        Path image = dir.resolve("nodecomp.save");
        SaveFixtures.saveImage(image, SaveFormat.ZSTD, "nodecomp", STREAM);
        Path emptyDir = Files.createDirectory(dir.resolve("bin"));

        assertThatThrownBy(() -> start(
                        image,
                        SaveImage.open(image).streamOffset(),
                        SaveFormat.ZSTD,
                        "nodecomp",
                        new ProgramSearch(List.of(emptyDir))))
                .isInstanceOf(VirtException.class)
                .hasMessageContaining("Compression program for zstd image format");
        assertThat(SaveFixtures.pumpThreadsAlive("nodecomp")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(
            value = SaveFormat.class,
            names = {"RAW", "GZIP"})
    void abortWhileQemuStopsReadingEndsOnceQemuIsGone(SaveFormat format) throws Exception {
        String domain = "abort-" + format.formatName();
        Path image = dir.resolve(domain + ".save");
        SaveFixtures.saveImage(image, format, domain, STREAM);
        SaveImage saved = SaveImage.open(image);
        RestoreReader reader = start(image, saved.streamOffset(), format, domain, ProgramSearch.system());
        // QEMU holds the read end but reads nothing: the pump fills the pipe and blocks.
        int qemuEnd = NativeFds.dup(reader.qemuFd());
        reader.closeQemuFd();
        await().atMost(Duration.ofSeconds(30)).until(() -> reader.bytesRead() > 0);

        reader.abort();
        reader.decompressor().ifPresent(p -> assertThat(p.isAlive()).isFalse());
        NativeFds.close(qemuEnd); // QEMU is killed after a failed restore

        assertThatThrownBy(() -> reader.awaitDone(SaveFixtures.PUMP_TIMEOUT))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_ABORTED));
        assertThat(SaveFixtures.pumpThreadsAlive(domain)).isFalse();
    }

    @Test
    void imageEndingBeforeItsStreamIsRefused() throws Exception {
        Path image = Files.write(dir.resolve("short.save"), new byte[100]);
        assertThatThrownBy(() -> start(image, 5000, SaveFormat.RAW, "short", ProgramSearch.system()))
                .isInstanceOf(VirtException.class)
                .hasMessageContaining("ends before its migration stream");
    }
}
