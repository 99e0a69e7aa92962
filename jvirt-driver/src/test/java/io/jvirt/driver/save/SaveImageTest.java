package io.jvirt.driver.save;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaveImageTest {
    private static final String XML = "<domain type='qemu'><name>g1</name><description>é ü 日本</description></domain>";
    private static final String COOKIE = "<qemu-migration><name>g1</name></qemu-migration>";

    @TempDir
    Path dir;

    private long writeComplete(Path image, String xml, String cookie, byte[] stream) throws Exception {
        try (FileChannel file = FileChannel.open(
                image, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long offset = SaveImage.writePreamble(file, SaveImageHeader.partial(true, SaveFormat.XZ), xml, cookie);
            assertThat(file.position()).isEqualTo(offset);
            file.write(ByteBuffer.wrap(stream));
            SaveImage.markComplete(file);
            return offset;
        }
    }

    @Test
    void preambleRoundTrips() throws Exception {
        Path image = dir.resolve("g1.save");
        long offset = writeComplete(image, XML, COOKIE, new byte[0]);

        int xmlBytes = XML.getBytes(StandardCharsets.UTF_8).length;
        int dataLen = xmlBytes + 1 + COOKIE.length() + 1 + 64 * 1024;
        assertThat(offset).isEqualTo(92 + dataLen);
        assertThat(Files.size(image)).isEqualTo(offset);

        SaveImage read = SaveImage.open(image);
        assertThat(read.domainXml()).isEqualTo(XML);
        assertThat(read.cookie()).contains(COOKIE);
        assertThat(read.streamOffset()).isEqualTo(offset);
        assertThat(read.header().dataLen()).isEqualTo(dataLen);
        assertThat(read.header().cookieOffset()).isEqualTo(xmlBytes + 1);
        assertThat(read.header().wasRunning()).isTrue();
        assertThat(read.header().format()).isEqualTo(SaveFormat.XZ);
    }

    @Test
    void imageWithoutCookieHasCookieOffsetZero() throws Exception {
        Path image = dir.resolve("nocookie.save");
        writeComplete(image, XML, null, new byte[0]);

        SaveImage read = SaveImage.open(image);
        assertThat(read.cookie()).isEmpty();
        assertThat(read.header().cookieOffset()).isZero();
        assertThat(read.domainXml()).isEqualTo(XML);
    }

    @Test
    void imageIsIncompleteUntilMarkedComplete() throws Exception {
        Path image = dir.resolve("partial.save");
        SaveFixtures.writePreamble(image, SaveFormat.RAW, "g1");

        assertThatThrownBy(() -> SaveImage.open(image))
                .isInstanceOf(VirtException.class)
                .hasMessage("operation failed: save image is incomplete");
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.WRITE)) {
            SaveImage.markComplete(file);
        }
        assertThat(SaveImage.open(image).domainXml()).contains("<name>g1</name>");
    }

    @Test
    void replacedXmlIsReadBackAndTheStreamStaysPut() throws Exception {
        Path image = dir.resolve("define.save");
        byte[] stream = SaveFixtures.patterned(10_000);
        long offset = writeComplete(image, XML, COOKIE, stream);
        String bigger = XML.replace("</domain>", "<!--" + "x".repeat(30_000) + "--></domain>");

        SaveImage.replaceXml(image, bigger);
        SaveImage read = SaveImage.open(image);
        assertThat(read.domainXml()).isEqualTo(bigger);
        assertThat(read.cookie()).contains(COOKIE);
        assertThat(read.streamOffset()).isEqualTo(offset);
        assertThat(streamOf(image, offset)).isEqualTo(stream);

        SaveImage.replaceXml(image, "<domain/>");
        assertThat(SaveImage.open(image).domainXml()).isEqualTo("<domain/>");
        assertThat(SaveImage.open(image).cookie()).contains(COOKIE);
        assertThat(streamOf(image, offset)).isEqualTo(stream);
    }

    @Test
    void xmlThatDoesNotFitIsRefusedAndTheFileIsUntouched() throws Exception {
        Path image = dir.resolve("toolarge.save");
        writeComplete(image, XML, COOKIE, SaveFixtures.patterned(1000));
        byte[] before = Files.readAllBytes(image);
        String huge = XML.replace("</domain>", "<!--" + "x".repeat(70_000) + "--></domain>");

        assertThatThrownBy(() -> SaveImage.replaceXml(image, huge))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_FAILED))
                .hasMessage("operation failed: new xml too large to fit in file");
        assertThat(Files.readAllBytes(image)).isEqualTo(before);
    }

    @Test
    void wasRunningCanBeRewritten() throws Exception {
        Path image = dir.resolve("flag.save");
        writeComplete(image, XML, null, new byte[0]);

        SaveImage.setWasRunning(image, false);
        assertThat(SaveImage.open(image).header().wasRunning()).isFalse();
        SaveImage.setWasRunning(image, true);
        assertThat(SaveImage.open(image).header().wasRunning()).isTrue();
    }

    @Test
    void xmlWithNulIsRefused() throws Exception {
        try (FileChannel file =
                FileChannel.open(dir.resolve("nul.save"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            assertThatThrownBy(() -> SaveImage.writePreamble(
                            file, SaveImageHeader.partial(false, SaveFormat.RAW), "<domain>\0</domain>", null))
                    .isInstanceOfSatisfying(
                            VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARG));
        }
    }

    @Test
    void imageCutInsideTheDataAreaIsRefused() throws Exception {
        Path image = dir.resolve("cut.save");
        writeComplete(image, XML, COOKIE, new byte[0]);
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.WRITE)) {
            file.truncate(500);
        }
        assertThatThrownBy(() -> SaveImage.open(image))
                .isInstanceOf(VirtException.class)
                .hasMessageContaining("failed to read domain XML");
    }

    @Test
    void aShortFileClaimingTheLargestDataAreaIsRefusedWithoutAllocatingIt() throws Exception {
        Path image = dir.resolve("claims.save");
        ByteBuffer header = ByteBuffer.allocate(SaveImageHeader.SIZE + 16);
        new SaveImageHeader(
                        SaveImageHeader.Magic.FINAL,
                        SaveImageHeader.VERSION,
                        SaveImageHeader.MAX_DATA_LEN,
                        true,
                        SaveFormat.RAW,
                        0)
                .write(header);
        Files.write(image, header.array());
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) { // the first round loads the classes, whose cost is not the image's
            long before = threads.getCurrentThreadAllocatedBytes();
            assertThatThrownBy(() -> SaveImage.open(image))
                    .isInstanceOf(VirtException.class)
                    .hasMessageContaining("failed to read domain XML from '" + image + "'")
                    .hasMessageContaining("file ends inside the data area");
            if (round == 1) {
                assertThat(threads.getCurrentThreadAllocatedBytes() - before)
                        .isLessThan(SaveImageHeader.MAX_DATA_LEN / 10);
            }
        }
    }

    @Test
    void missingFileIsNamed() {
        Path image = dir.resolve("absent.save");
        assertThatThrownBy(() -> SaveImage.open(image))
                .isInstanceOf(VirtException.class)
                .hasMessageContaining(image.toString())
                .hasMessageContaining("No such file or directory");
    }

    private static byte[] streamOf(Path image, long offset) throws Exception {
        byte[] all = Files.readAllBytes(image);
        return Arrays.copyOfRange(all, (int) offset, all.length);
    }
}
