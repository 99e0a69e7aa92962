package io.jvirt.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.Connection;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.driver.root.HostRoot;
import io.jvirt.driver.save.SaveFormat;
import io.jvirt.driver.save.SaveImage;
import io.jvirt.driver.save.SaveImageHeader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paths clients name for save images, as libvirt takes them: made absolute, then opened as given with the daemon's
 * rights, symlinks followed (libvirt has no pool directory here to escape, unlike CVE-2015-5313's volume names, so
 * {@code ..} is no escape either). A path Java cannot even form is libvirt's invalid-argument error,
 * not an internal one. Read-only clients never reach these calls ({@code ReadOnlyRefusalTest}).
 */
class ClientPathsTest {
    private static final String XML =
            "<domain type='qemu'><name>g1</name><memory>65536</memory><os><type>hvm</type></os></domain>";

    @TempDir
    Path dir;

    private Connection conn;

    @BeforeEach
    void open() throws Exception {
        HostRoot root = new HostRoot(dir.resolve("root")).create();
        conn = QemuDriver.open("qemu:///embed?root=" + root.dir(), root);
    }

    @AfterEach
    void close() throws Exception {
        conn.close();
    }

    @Test
    void symlinksAreFollowedAndDotDotResolved() throws Exception {
        Path real = Files.createDirectories(dir.resolve("images/real"));
        Path image = real.resolve("g1.img");
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            SaveImage.writePreamble(file, SaveImageHeader.partial(false, SaveFormat.RAW), XML, null);
            SaveImage.markComplete(file);
        }
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        assertThat(conn.saveImageXml(link.resolve("g1.img").toString(), 0)).contains("<name>g1</name>");
        assertThat(conn.saveImageXml(dir + "/images/real/../real/./g1.img", 0)).contains("<name>g1</name>");
    }

    @Test
    void aPathThatCannotBeFormedIsAnInvalidArgument() {
        assertThatThrownBy(() -> conn.saveImageXml(dir + "/a\0b", 0)).isInstanceOfSatisfying(VirtException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARG);
            assertThat(e.getMessage()).startsWith("invalid argument: invalid path '");
        });
    }
}
