package io.jvirt.driver.save;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The fixed 92-byte header at the start of a save image, laid out as libvirt lays it out so images move between
 * the two: 16 magic bytes, then five 32-bit fields in the host's native byte order (version, data length, was
 * running, compression format, cookie offset), then 56 zero bytes. The data area (domain XML, optional cookie,
 * zero padding) follows; QEMU's migration stream starts at {@code SIZE + dataLen}.
 *
 * <p>Errors: reading reports bad images as {@link VirtException} OPERATION_FAILED (domain QEMU) with libvirt's
 * messages, so the driver can pass them to the client unchanged. Immutable value.
 *
 * @param magic        whether the image is complete; a save writes {@link Magic#PARTIAL} first
 * @param version      format version, {@link #VERSION} when written by us; 1 in old images (no compression field)
 * @param dataLen      bytes of XML, cookie and padding after the header
 * @param wasRunning   whether the guest ran when it was saved (restore resumes it)
 * @param format       how the migration stream is compressed
 * @param cookieOffset offset of the cookie inside the data area (the XML length with its NUL); 0 when none
 */
public record SaveImageHeader(
        Magic magic, int version, int dataLen, boolean wasRunning, SaveFormat format, int cookieOffset) {

    /** Header size in bytes. */
    public static final int SIZE = 92;
    /** The version this code writes; images claiming a higher one are refused. */
    public static final int VERSION = 2;
    /** Largest data area we accept; checked before allocating, since the length comes from a file. */
    public static final int MAX_DATA_LEN = 10 * 1024 * 1024;

    private static final int MAGIC_LEN = 16;

    /** The magic string; part of the on-disk ABI. */
    public enum Magic {
        /** The image is complete and can be restored. */
        FINAL("LibvirtQemudSave"),
        /** The save is still running (or died): the image must not be restored. */
        PARTIAL("LibvirtQemudPart");

        private final byte[] bytes;

        Magic(String text) {
            this.bytes = text.getBytes(StandardCharsets.US_ASCII);
        }

        /** The 16 magic bytes (a fresh copy). */
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    public SaveImageHeader {
        Objects.requireNonNull(magic, "magic");
        Objects.requireNonNull(format, "format");
        if (dataLen < 0 || cookieOffset < 0 || cookieOffset > dataLen) {
            throw new IllegalArgumentException(
                    "bad save image layout: dataLen " + dataLen + ", cookieOffset " + cookieOffset);
        }
    }

    /** A header for a save in progress; {@link SaveImage#writePreamble} fills in the data layout. */
    public static SaveImageHeader partial(boolean wasRunning, SaveFormat format) {
        return new SaveImageHeader(Magic.PARTIAL, VERSION, 0, wasRunning, format, 0);
    }

    /** The same header with another magic. */
    public SaveImageHeader withMagic(Magic newMagic) {
        return new SaveImageHeader(newMagic, version, dataLen, wasRunning, format, cookieOffset);
    }

    /** The same header with another data layout. */
    public SaveImageHeader withLayout(int newDataLen, int newCookieOffset) {
        return new SaveImageHeader(magic, version, newDataLen, wasRunning, format, newCookieOffset);
    }

    /** Offset of the migration stream in the file. */
    public long streamOffset() {
        return (long) SIZE + dataLen;
    }

    /** Puts the 92 header bytes at the buffer's position (native byte order) and advances it. */
    public void write(ByteBuffer out) {
        ByteBuffer b = out.slice(out.position(), SIZE).order(ByteOrder.nativeOrder());
        b.put(magic.bytes);
        b.putInt(version);
        b.putInt(dataLen);
        b.putInt(wasRunning ? 1 : 0);
        b.putInt(format.diskValue());
        b.putInt(cookieOffset);
        b.put(new byte[SIZE - b.position()]);
        out.position(out.position() + SIZE);
    }

    /** The 92 header bytes in a fresh buffer, ready to write. */
    public ByteBuffer toBuffer() {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        write(b);
        return b.flip();
    }

    /**
     * Reads a header from the buffer's next 92 bytes and advances it. A version above {@link #VERSION} is taken
     * as an image from a host of the other byte order and read again swapped, as libvirt does.
     *
     * @throws VirtException OPERATION_FAILED: "save image is incomplete", "image magic is incorrect",
     *                       "image version is not supported", "invalid header data length", or a bad format/cookie
     */
    public static SaveImageHeader read(ByteBuffer in) {
        if (in.remaining() < SIZE) {
            throw bad("failed to read qemu header");
        }
        ByteBuffer b = in.slice(in.position(), SIZE).order(ByteOrder.nativeOrder());
        in.position(in.position() + SIZE);
        byte[] magicBytes = new byte[MAGIC_LEN];
        b.get(magicBytes);
        if (Arrays.equals(magicBytes, Magic.PARTIAL.bytes)) {
            throw bad("save image is incomplete");
        }
        if (!Arrays.equals(magicBytes, Magic.FINAL.bytes)) {
            throw bad("image magic is incorrect");
        }
        int[] fields = new int[5];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = b.getInt();
        }
        if (Integer.compareUnsigned(fields[0], VERSION) > 0) {
            for (int i = 0; i < fields.length; i++) {
                fields[i] = Integer.reverseBytes(fields[i]);
            }
            if (Integer.compareUnsigned(fields[0], VERSION) > 0) {
                throw bad("image version is not supported (" + Integer.toUnsignedString(fields[0]) + " > " + VERSION
                        + ")");
            }
        }
        int version = fields[0];
        int dataLen = fields[1];
        if (dataLen <= 0) {
            throw bad("invalid header data length");
        }
        if (dataLen > MAX_DATA_LEN) {
            throw bad("invalid header data length " + dataLen + " (more than " + MAX_DATA_LEN + " bytes)");
        }
        // Version 1 images predate compression: libvirt ignores the field there, and so do we.
        SaveFormat format = version == VERSION ? SaveFormat.fromDisk(fields[3]) : SaveFormat.RAW;
        int cookieOffset = fields[4];
        if (cookieOffset < 0 || cookieOffset > dataLen) {
            throw bad("invalid cookie offset " + Integer.toUnsignedString(cookieOffset) + " in save image header");
        }
        return new SaveImageHeader(Magic.FINAL, version, dataLen, fields[2] != 0, format, cookieOffset);
    }

    private static VirtException bad(String detail) {
        return VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, detail);
    }
}
