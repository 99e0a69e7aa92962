package io.jvirt.driver.save;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SaveImageHeaderTest {

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are for x86_64");
    }

    /** The 92 bytes libvirt writes on x86_64, laid out by hand from the struct. */
    private static byte[] golden(
            String magic, int version, int dataLen, int wasRunning, int format, int cookie, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(92).order(order);
        b.put(magic.getBytes(StandardCharsets.US_ASCII));
        b.putInt(version).putInt(dataLen).putInt(wasRunning).putInt(format).putInt(cookie);
        return b.array();
    }

    private static byte[] golden(String magic, int version, int dataLen, int wasRunning, int format, int cookie) {
        return golden(magic, version, dataLen, wasRunning, format, cookie, ByteOrder.LITTLE_ENDIAN);
    }

    private static SaveImageHeader read(byte[] bytes) {
        return SaveImageHeader.read(ByteBuffer.wrap(bytes));
    }

    @Test
    void writesLibvirtsLayout() {
        SaveImageHeader h = new SaveImageHeader(SaveImageHeader.Magic.FINAL, 2, 65608, true, SaveFormat.XZ, 42);
        byte[] expected = golden("LibvirtQemudSave", 2, 65608, 1, 3, 42);
        assertThat(h.toBuffer().array()).hasSize(92).isEqualTo(expected);
        assertThat(h.streamOffset()).isEqualTo(92 + 65608);
    }

    @Test
    void partialHeaderHasThePartialMagic() {
        SaveImageHeader h = SaveImageHeader.partial(false, SaveFormat.GZIP).withLayout(100, 0);
        assertThat(h.toBuffer().array()).isEqualTo(golden("LibvirtQemudPart", 2, 100, 0, 1, 0));
    }

    @Test
    void readsWhatItWrites() {
        for (SaveFormat f : SaveFormat.values()) {
            SaveImageHeader h =
                    new SaveImageHeader(SaveImageHeader.Magic.FINAL, 2, 70000, f.diskValue() % 2 == 0, f, 5);
            ByteBuffer buf = ByteBuffer.allocate(100);
            h.write(buf);
            assertThat(buf.position()).isEqualTo(92);
            assertThat(SaveImageHeader.read(buf.flip())).isEqualTo(h);
        }
    }

    @Test
    void readsLibvirtsBytes() {
        SaveImageHeader h = read(golden("LibvirtQemudSave", 2, 1234, 1, 5, 1000));
        assertThat(h.magic()).isEqualTo(SaveImageHeader.Magic.FINAL);
        assertThat(h.dataLen()).isEqualTo(1234);
        assertThat(h.wasRunning()).isTrue();
        assertThat(h.format()).isEqualTo(SaveFormat.ZSTD);
        assertThat(h.cookieOffset()).isEqualTo(1000);
    }

    @Test
    void byteSwappedHeaderIsReadSwapped() {
        SaveImageHeader h = read(golden("LibvirtQemudSave", 2, 4096, 1, 2, 10, ByteOrder.BIG_ENDIAN));
        assertThat(h).isEqualTo(new SaveImageHeader(SaveImageHeader.Magic.FINAL, 2, 4096, true, SaveFormat.BZIP2, 10));
    }

    @Test
    void versionOneIgnoresTheCompressionField() {
        assertThat(read(golden("LibvirtQemudSave", 1, 4096, 0, 99, 0)).format()).isEqualTo(SaveFormat.RAW);
    }

    @Test
    void incompleteImageIsRefused() {
        assertFailure(golden("LibvirtQemudPart", 2, 4096, 1, 0, 0), "operation failed: save image is incomplete");
    }

    @Test
    void wrongMagicIsRefused() {
        assertFailure(golden("LibvirtQemudSavX", 2, 4096, 1, 0, 0), "operation failed: image magic is incorrect");
        assertFailure(new byte[92], "operation failed: image magic is incorrect");
    }

    @Test
    void newerVersionIsRefusedInEitherByteOrder() {
        // Like libvirt, the message shows the version as read after the byte-swap retry.
        assertFailure(
                golden("LibvirtQemudSave", 3, 4096, 1, 0, 0),
                "operation failed: image version is not supported (50331648 > 2)");
        assertFailure(
                golden("LibvirtQemudSave", 3, 4096, 1, 0, 0, ByteOrder.BIG_ENDIAN),
                "operation failed: image version is not supported (3 > 2)");
    }

    @Test
    void nonPositiveDataLengthIsRefused() {
        assertFailure(golden("LibvirtQemudSave", 2, 0, 1, 0, 0), "operation failed: invalid header data length");
        assertFailure(golden("LibvirtQemudSave", 2, -5, 1, 0, 0), "operation failed: invalid header data length");
    }

    @Test
    void hugeDataLengthIsRefusedBeforeAllocating() {
        assertThatThrownBy(() -> read(golden("LibvirtQemudSave", 2, Integer.MAX_VALUE, 1, 0, 0)))
                .isInstanceOf(VirtException.class)
                .hasMessageStartingWith("operation failed: invalid header data length");
    }

    @Test
    void unknownFormatAndBadCookieOffsetAreRefused() {
        assertThatThrownBy(() -> read(golden("LibvirtQemudSave", 2, 4096, 1, 9, 0)))
                .isInstanceOf(VirtException.class)
                .hasMessageContaining("format 9");
        assertThatThrownBy(() -> read(golden("LibvirtQemudSave", 2, 4096, 1, 0, 5000)))
                .isInstanceOf(VirtException.class)
                .hasMessageContaining("cookie offset 5000");
    }

    @Test
    void shortHeaderIsRefused() {
        assertThatThrownBy(() -> SaveImageHeader.read(ByteBuffer.allocate(91)))
                .isInstanceOf(VirtException.class)
                .hasMessageContaining("failed to read qemu header");
    }

    private static void assertFailure(byte[] bytes, String message) {
        assertThatThrownBy(() -> read(bytes))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_FAILED);
                    assertThat(e.domain()).isEqualTo(ErrorDomain.QEMU);
                })
                .hasMessage(message);
    }
}
