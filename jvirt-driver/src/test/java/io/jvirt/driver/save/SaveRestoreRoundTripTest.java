package io.jvirt.driver.save;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A stream goes through SaveWriter into an image and comes back out of RestoreReader unchanged, per format. */
class SaveRestoreRoundTripTest {
    private static final int STREAM_SIZE = 5 * 1024 * 1024 + 12345;
    private static final byte[] STREAM = SaveFixtures.patterned(STREAM_SIZE);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SaveFormat.class)
    void streamComesBackByteForByte(SaveFormat format) throws Exception {
        String domain = "roundtrip-" + format.formatName();
        Path image = dir.resolve(domain + ".save");
        long offset = SaveFixtures.writePreamble(image, format, domain);

        SaveWriter writer = SaveWriter.start(image, offset, format, domain);
        var saving = FakeQemuStream.write(writer.qemuFd(), STREAM);
        writer.closeQemuFd();
        saving.get(60, TimeUnit.SECONDS);
        writer.awaitDone(SaveFixtures.PUMP_TIMEOUT);
        assertThat(writer.bytesWritten()).isEqualTo(STREAM_SIZE);
        assertThat(writer.failure()).isEmpty();

        long stored = Files.size(image) - offset;
        if (format.isCompressed()) {
            assertThat(stored).as("compressed size").isLessThan(STREAM_SIZE / 2);
        } else {
            assertThat(stored).isEqualTo(STREAM_SIZE);
        }
        try (var file = java.nio.channels.FileChannel.open(image, java.nio.file.StandardOpenOption.WRITE)) {
            SaveImage.markComplete(file);
        }

        SaveImage saved = SaveImage.open(image);
        assertThat(saved.header().format()).isEqualTo(format);
        RestoreReader reader =
                RestoreReader.start(image, saved.streamOffset(), saved.header().format(), domain);
        var restoring = FakeQemuStream.readAll(reader.qemuFd());
        reader.closeQemuFd();
        byte[] back = restoring.get(60, TimeUnit.SECONDS);
        reader.awaitDone(SaveFixtures.PUMP_TIMEOUT);

        assertThat(back).hasSize(STREAM_SIZE).isEqualTo(STREAM);
        assertThat(reader.bytesRead()).isEqualTo(STREAM_SIZE);
        assertThat(SaveFixtures.pumpThreadsAlive(domain)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(
            value = SaveFormat.class,
            names = {"RAW", "GZIP"})
    void emptyStreamMakesAnImageThatRestoresToNothing(SaveFormat format) throws Exception {
        String domain = "empty-" + format.formatName();
        Path image = dir.resolve(domain + ".save");
        SaveFixtures.saveImage(image, format, domain, new byte[0]);

        SaveImage saved = SaveImage.open(image);
        try (RestoreReader reader = RestoreReader.start(image, saved.streamOffset(), format, domain)) {
            var restoring = FakeQemuStream.readAll(reader.qemuFd());
            reader.closeQemuFd();
            assertThat(restoring.get(60, TimeUnit.SECONDS)).isEmpty();
            reader.awaitDone(SaveFixtures.PUMP_TIMEOUT);
        }
        await().until(() -> !SaveFixtures.pumpThreadsAlive(domain));
    }
}
