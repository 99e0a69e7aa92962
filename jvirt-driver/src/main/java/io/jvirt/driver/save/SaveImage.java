package io.jvirt.driver.save;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;

/**
 * A save image's preamble: header, NUL-terminated domain XML, optional NUL-terminated cookie, zero padding. The
 * static methods write, finish, read and edit it; an instance is what {@link #open(Path)} found.
 *
 * <p>Errors are {@link VirtException}: OPERATION_FAILED for a bad image (libvirt's messages), SYSTEM_ERROR for
 * I/O naming the file, INVALID_ARG for XML or a cookie we refuse to write. Blocking file I/O; any thread.
 *
 * @param header       the image's header (always {@link SaveImageHeader.Magic#FINAL}: partial images are refused)
 * @param domainXml    the domain definition saved with the image
 * @param cookie       the save cookie, if one was written
 * @param streamOffset where QEMU's migration stream starts in the file
 */
public record SaveImage(SaveImageHeader header, String domainXml, Optional<String> cookie, long streamOffset) {

    /** Room left after the XML and cookie so the XML can later be edited in place, as libvirt does. */
    public static final int XML_ROOM = 64 * 1024;

    public SaveImage {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(domainXml, "domainXml");
        Objects.requireNonNull(cookie, "cookie");
    }

    /**
     * Writes the preamble at the start of {@code file} (opened for writing, normally just created or truncated)
     * and leaves the channel positioned, and the file cut, at the stream offset. The header's magic must be
     * {@link SaveImageHeader.Magic#PARTIAL}; its data length and cookie offset are computed here.
     *
     * @param cookie the save cookie, or null for none
     * @return the stream offset ({@code 92 + dataLen}), where QEMU's stream must go
     */
    public static long writePreamble(FileChannel file, SaveImageHeader partial, String domainXml, String cookie) {
        if (partial.magic() != SaveImageHeader.Magic.PARTIAL) {
            throw new IllegalArgumentException("a save image is written with the partial magic first");
        }
        DataArea area = DataArea.of(domainXml, cookie);
        long dataLen = (long) area.used() + XML_ROOM;
        if (dataLen > SaveImageHeader.MAX_DATA_LEN) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "domain XML and cookie of " + area.used() + " bytes do not fit in a save image");
        }
        SaveImageHeader header = partial.withLayout((int) dataLen, area.cookieOffset());
        ByteBuffer buf = ByteBuffer.allocate(SaveImageHeader.SIZE + (int) dataLen);
        header.write(buf);
        area.write(buf, (int) dataLen);
        buf.flip();
        try {
            writeFully(file, buf, 0);
            file.truncate(header.streamOffset());
            file.position(header.streamOffset());
        } catch (IOException e) {
            throw ioError("cannot write save image header", e);
        }
        return header.streamOffset();
    }

    /** Turns a partial image into a complete one by rewriting only the magic, then syncs it to disk. */
    public static void markComplete(FileChannel file) {
        try {
            writeFully(file, ByteBuffer.wrap(SaveImageHeader.Magic.FINAL.bytes()), 0);
            file.force(true);
        } catch (IOException e) {
            throw ioError("cannot mark save image complete", e);
        }
    }

    /** Reads and checks an image's preamble. The migration stream itself is not read. */
    public static SaveImage open(Path image) {
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ)) {
            return read(file, image);
        } catch (IOException e) {
            throw ioError("cannot read save image '" + image + "'", e);
        }
    }

    /**
     * Replaces the domain XML in a complete image without moving the migration stream (save-image-define).
     *
     * @throws VirtException OPERATION_FAILED "new xml too large to fit in file" when the XML and cookie
     *                       need more than the image's data area
     */
    public static void replaceXml(Path image, String newXml) {
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            SaveImage old = read(file, image);
            DataArea area = DataArea.of(newXml, old.cookie.orElse(null));
            int dataLen = old.header.dataLen();
            if (area.used() > dataLen) {
                throw VirtException.of(
                        ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "new xml too large to fit in file");
            }
            ByteBuffer buf = ByteBuffer.allocate(SaveImageHeader.SIZE + dataLen);
            old.header.withLayout(dataLen, area.cookieOffset()).write(buf);
            area.write(buf, dataLen);
            writeFully(file, buf.flip(), 0);
            file.force(true);
        } catch (IOException e) {
            throw ioError("cannot rewrite save image '" + image + "'", e);
        }
    }

    /**
     * Rewrites only the header's "was running" flag of a complete image, which decides whether a restore resumes
     * the guest (save-image-define with --running / --paused).
     */
    public static void setWasRunning(Path image, boolean wasRunning) {
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            SaveImageHeader old = read(file, image).header;
            if (old.wasRunning() != wasRunning) {
                SaveImageHeader updated = new SaveImageHeader(
                        old.magic(), old.version(), old.dataLen(), wasRunning, old.format(), old.cookieOffset());
                writeFully(file, updated.toBuffer(), 0);
                file.force(true);
            }
        } catch (IOException e) {
            throw ioError("cannot rewrite save image '" + image + "'", e);
        }
    }

    private static SaveImage read(FileChannel file, Path image) throws IOException {
        ByteBuffer headerBytes = ByteBuffer.allocate(SaveImageHeader.SIZE);
        if (!readFully(file, headerBytes, 0)) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "failed to read qemu header from '" + image + "'");
        }
        SaveImageHeader header = SaveImageHeader.read(headerBytes.flip());
        // The length comes from the file: a short file claiming a big data area must not cost that much memory.
        if (file.size() < SaveImageHeader.SIZE + (long) header.dataLen()) {
            throw cutInsideDataArea(image);
        }
        ByteBuffer data = ByteBuffer.allocate(header.dataLen());
        if (!readFully(file, data, SaveImageHeader.SIZE)) {
            throw cutInsideDataArea(image);
        }
        byte[] bytes = data.array();
        int xmlLimit = header.cookieOffset() != 0 ? header.cookieOffset() : header.dataLen();
        String xml = nulTerminated(bytes, 0, xmlLimit, "domain XML", image);
        if (xml.isEmpty()) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "save image '" + image + "' holds no domain XML");
        }
        Optional<String> cookie = header.cookieOffset() == 0
                ? Optional.empty()
                : Optional.of(nulTerminated(bytes, header.cookieOffset(), header.dataLen(), "save cookie", image));
        return new SaveImage(header, xml, cookie, header.streamOffset());
    }

    private static VirtException cutInsideDataArea(Path image) {
        return VirtException.of(
                ErrorCode.OPERATION_FAILED,
                ErrorDomain.QEMU,
                "failed to read domain XML from '" + image + "': file ends inside the data area");
    }

    private static String nulTerminated(byte[] bytes, int from, int limit, String what, Path image) {
        for (int i = from; i < limit; i++) {
            if (bytes[i] == 0) {
                return new String(bytes, from, i - from, StandardCharsets.UTF_8);
            }
        }
        throw VirtException.of(
                ErrorCode.OPERATION_FAILED,
                ErrorDomain.QEMU,
                what + " in save image '" + image + "' is not NUL-terminated");
    }

    private static void writeFully(FileChannel file, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            at += file.write(buf, at);
        }
    }

    /** Fills {@code buf} from {@code position}; false if the file ends first. */
    private static boolean readFully(FileChannel file, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = file.read(buf, at);
            if (n < 0) {
                return false;
            }
            at += n;
        }
        return true;
    }

    private static VirtException ioError(String what, IOException e) {
        return SaveErrors.io(what, e);
    }

    /** The XML and cookie as they sit in the data area. */
    private record DataArea(byte[] xml, byte[] cookie) {

        static DataArea of(String domainXml, String cookie) {
            return new DataArea(encode(domainXml, "domain XML"), cookie == null ? null : encode(cookie, "cookie"));
        }

        /** Bytes taken by XML and cookie with their NULs. */
        int used() {
            return xml.length + 1 + (cookie == null ? 0 : cookie.length + 1);
        }

        int cookieOffset() {
            return cookie == null ? 0 : xml.length + 1;
        }

        /** Puts XML, cookie and zero padding, {@code dataLen} bytes in all, at the buffer's position. */
        void write(ByteBuffer buf, int dataLen) {
            int start = buf.position();
            buf.put(xml).put((byte) 0);
            if (cookie != null) {
                buf.put(cookie).put((byte) 0);
            }
            // The buffer is fresh, so the padding is zeros: no tail of a longer old XML survives a rewrite.
            buf.position(start + dataLen);
        }

        private static byte[] encode(String text, String what) {
            Objects.requireNonNull(text, what);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            for (byte b : bytes) {
                if (b == 0) {
                    throw VirtException.of(
                            ErrorCode.INVALID_ARG,
                            ErrorDomain.QEMU,
                            what + " for a save image must not contain NUL characters");
                }
            }
            return bytes;
        }
    }
}
