package io.jvirt.driver.save;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jvirt.config.CharDeviceDef;
import io.jvirt.config.CharSourceType;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainType;
import io.jvirt.config.DomainXml;
import io.jvirt.config.PlacedElement;
import io.jvirt.config.UnknownDevice;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reads save-image preambles written by Debian's libvirt 11.3 {@code virsh save} (see
 * {@code src/test/resources/save/libvirt-11.3/README.txt}): header, domain XML, cookie and padding, without the
 * QEMU stream. Proves jvirt opens libvirt's images and lays out its own the same way.
 */
class LibvirtHeaderGoldenTest {

    /** The golden files hold the 92-byte header plus the whole data area, so open finds everything it reads. */
    private static final String DIR = "/save/libvirt-11.3/";

    @TempDir
    Path tmp;

    @BeforeAll
    static void littleEndianHost() {
        // libvirt wrote the header's integers in x86_64's native order.
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden images come from x86_64");
    }

    private static byte[] golden(SaveFormat format) throws IOException {
        String name = DIR + (format == SaveFormat.RAW ? "raw" : "gzip") + ".header";
        try (InputStream in = LibvirtHeaderGoldenTest.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    private Path copy(byte[] bytes) throws IOException {
        return Files.write(tmp.resolve("golden.save"), bytes);
    }

    /** The five u32 fields after the magic, read straight from the bytes, independent of jvirt's reader. */
    private static int[] rawFields(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image, 16, 20).order(ByteOrder.LITTLE_ENDIAN);
        int[] fields = new int[5];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = b.getInt();
        }
        return fields;
    }

    @ParameterizedTest
    @EnumSource(
            value = SaveFormat.class,
            names = {"RAW", "GZIP"})
    void opensLibvirtsImage(SaveFormat format) throws IOException {
        byte[] bytes = golden(format);
        SaveImage image = SaveImage.open(copy(bytes));

        SaveImageHeader h = image.header();
        assertThat(h.magic()).isEqualTo(SaveImageHeader.Magic.FINAL);
        assertThat(h.version()).isEqualTo(2);
        assertThat(h.format()).isEqualTo(format);
        assertThat(h.wasRunning()).isTrue();
        // The preamble is exactly header + data area, so the stream would start where the file ends.
        assertThat(image.streamOffset()).isEqualTo(bytes.length);
        assertThat(h.dataLen()).isEqualTo(bytes.length - SaveImageHeader.SIZE);
        assertThat(image.domainXml()).startsWith("<domain type='qemu'>").contains("<name>golden</name>");
        // libvirt 11.3 writes a cookie right after the XML's NUL: the guest CPU as it ran.
        assertThat(h.cookieOffset()).isEqualTo(image.domainXml().getBytes(StandardCharsets.UTF_8).length + 1);
        assertThat(image.cookie())
                .hasValueSatisfying(cookie -> assertThat(cookie)
                        .startsWith("<cookie>")
                        .contains("<cpu mode='custom'")
                        .contains("qemu64")
                        .endsWith("</cookie>\n"));
    }

    @Test
    void theTwoImagesDifferOnlyInTheCompressionField() throws IOException {
        byte[] raw = golden(SaveFormat.RAW);
        byte[] gzip = golden(SaveFormat.GZIP);
        assertThat(rawFields(raw)[3]).isEqualTo(SaveFormat.RAW.diskValue());
        assertThat(rawFields(gzip)[3]).isEqualTo(SaveFormat.GZIP.diskValue());
        gzip[28] = raw[28];
        assertThat(gzip).isEqualTo(raw);
    }

    @Test
    void domainXmlFromLibvirtParses() throws IOException {
        SaveImage image = SaveImage.open(copy(golden(SaveFormat.RAW)));

        DomainDef def = DomainXml.parse(image.domainXml());

        assertThat(def.name()).isEqualTo("golden");
        assertThat(def.type()).isEqualTo(DomainType.QEMU);
        assertThat(def.isActive()).as("save images hold the inactive form").isFalse();
        assertThat(def.memoryKiB()).isEqualTo(128 * 1024);
        assertThat(def.vcpus()).isEqualTo(1);
        assertThat(def.os().machine()).isEqualTo("pc-i440fx-10.0");
        assertThat(def.os().kernel()).isEqualTo("/tmp/golden-guest/vmlinuz");
        assertThat(def.os().bootDevices()).containsExactly("hd");
        assertThat(def.serials()).singleElement().satisfies(serial -> {
            assertThat(serial.type()).isEqualTo(CharSourceType.FILE);
            assertThat(serial.sourcePath()).isEqualTo("/tmp/golden.log");
            assertThat(serial.targetType()).isEqualTo("isa-serial");
        });
        assertThat(def.consoles()).extracting(CharDeviceDef::targetType).containsExactly("serial");
        // What jvirt does not model is kept, not dropped: <input>, <cpu>, <resource>.
        assertThat(def.devices())
                .filteredOn(UnknownDevice.class::isInstance)
                .extracting(d -> ((UnknownDevice) d).element().name())
                .containsExactly("input");
        assertThat(def.extras()).extracting(p -> p.element().name()).contains("cpu", "resource");
        DomainDef again = DomainXml.parse(DomainXml.format(def));
        assertThat(again.name()).isEqualTo("golden");
        assertThat(again.extras())
                .extracting(PlacedElement::element)
                .isEqualTo(def.extras().stream().map(PlacedElement::element).toList());
    }

    @ParameterizedTest
    @EnumSource(
            value = SaveFormat.class,
            names = {"RAW", "GZIP"})
    void jvirtWritesTheSameHeaderFields(SaveFormat format) throws IOException {
        byte[] bytes = golden(format);
        int[] libvirt = rawFields(bytes);
        SaveImageHeader read = SaveImage.open(copy(bytes)).header();

        byte[] ours = new SaveImageHeader(
                        SaveImageHeader.Magic.FINAL, read.version(), read.dataLen(), true, format, read.cookieOffset())
                .toBuffer()
                .array();

        assertThat(Arrays.copyOfRange(ours, 0, 16))
                .asString(StandardCharsets.US_ASCII)
                .isEqualTo("LibvirtQemudSave")
                .isEqualTo(new String(bytes, 0, 16, StandardCharsets.US_ASCII));
        int[] mine = rawFields(ours);
        assertThat(mine[0]).as("version").isEqualTo(libvirt[0]).isEqualTo(2);
        assertThat(mine[1]).as("data_len").isEqualTo(libvirt[1]);
        assertThat(mine[2]).as("was_running").isEqualTo(libvirt[2]).isEqualTo(1);
        assertThat(mine[3]).as("compressed").isEqualTo(libvirt[3]);
        assertThat(mine[4]).as("cookieOffset").isEqualTo(libvirt[4]);
        assertThat(Arrays.copyOfRange(ours, 36, 92))
                .as("unused")
                .isEqualTo(Arrays.copyOfRange(bytes, 36, 92))
                .containsOnly(0);
        assertThat(ours).isEqualTo(Arrays.copyOf(bytes, SaveImageHeader.SIZE));
    }

    @ParameterizedTest
    @EnumSource(
            value = SaveFormat.class,
            names = {"RAW", "GZIP"})
    void jvirtWritesTheSamePreambleForTheSameXmlAndCookie(SaveFormat format) throws IOException {
        byte[] bytes = golden(format);
        SaveImage libvirts = SaveImage.open(copy(bytes));
        Path mine = tmp.resolve("jvirt.save");

        try (FileChannel file = FileChannel.open(
                mine, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long offset = SaveImage.writePreamble(
                    file,
                    SaveImageHeader.partial(true, format),
                    libvirts.domainXml(),
                    libvirts.cookie().orElseThrow());
            assertThat(offset).isEqualTo(libvirts.streamOffset());
            SaveImage.markComplete(file);
        }

        // Same 64 KiB of room after XML and cookie, same NULs, same zero padding: byte for byte libvirt's preamble.
        assertThat(Files.readAllBytes(mine)).isEqualTo(bytes);
    }
}
