package io.jvirt.rpc.xdr;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Appends XDR items to a growable buffer that is kept between uses ({@link #reset()}), so a connection's
 * writer allocates only while its messages grow. The buffer never grows past {@code maxSize}: encoding more
 * fails with {@link XdrException}, as libvirt refuses to encode a message over its maximum.
 * Not thread-safe: one writer per sending thread or connection.
 */
public final class XdrWriter {
    private static final byte[] PAD = new byte[4];

    private final int maxSize;
    private byte[] buf;
    private int pos;

    /** A writer starting at {@code initialCapacity} bytes that may grow to {@code maxSize}. */
    public XdrWriter(int initialCapacity, int maxSize) {
        if (initialCapacity < 0 || maxSize < initialCapacity) {
            throw new IllegalArgumentException("capacity " + initialCapacity + " / max " + maxSize);
        }
        this.maxSize = maxSize;
        this.buf = new byte[initialCapacity];
    }

    /** A writer for values of any size up to 2 GiB; for tests and small one-off encodings. */
    public XdrWriter() {
        this(256, Integer.MAX_VALUE - 8);
    }

    /** Forgets what was written; keeps the buffer. */
    public void reset() {
        pos = 0;
    }

    /** Bytes written so far. */
    public int position() {
        return pos;
    }

    public void writeInt(int v) {
        ensure(4);
        buf[pos] = (byte) (v >>> 24);
        buf[pos + 1] = (byte) (v >>> 16);
        buf[pos + 2] = (byte) (v >>> 8);
        buf[pos + 3] = (byte) v;
        pos += 4;
    }

    /** XDR {@code unsigned int}; refuses values outside 0..2^32-1. */
    public void writeUnsignedInt(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new XdrException("unsigned int out of range: " + v);
        }
        writeInt((int) v);
    }

    /** XDR {@code hyper}; {@code unsigned hyper} has the same bits. */
    public void writeHyper(long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }

    public void writeBool(boolean v) {
        writeInt(v ? 1 : 0);
    }

    public void writeDouble(double v) {
        writeHyper(Double.doubleToRawLongBits(v));
    }

    /** XDR {@code string<max>} in UTF-8. */
    public void writeString(String s, int max) {
        if (s == null) {
            throw new XdrException("null where a non-null string is required");
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > max) {
            throw new XdrException("string of " + bytes.length + " bytes exceeds its maximum " + max);
        }
        writeInt(bytes.length);
        writePadded(bytes, 0, bytes.length);
    }

    /** XDR {@code opaque<max>}. */
    public void writeOpaque(byte[] bytes, int max) {
        if (bytes == null) {
            throw new XdrException("null where opaque data is required");
        }
        if (bytes.length > max) {
            throw new XdrException("opaque of " + bytes.length + " bytes exceeds its maximum " + max);
        }
        writeInt(bytes.length);
        writePadded(bytes, 0, bytes.length);
    }

    /** XDR {@code opaque[length]}: exactly {@code length} bytes, no count. */
    public void writeFixedOpaque(byte[] bytes, int length) {
        if (bytes == null || bytes.length != length) {
            throw new XdrException("fixed opaque needs exactly " + length + " bytes");
        }
        writePadded(bytes, 0, length);
    }

    /** XDR {@code T *}: 0 for null, else 1 and the value. */
    public <T> void writeOptional(T value, XdrCodec<T> codec) {
        writeBool(value != null);
        if (value != null) {
            codec.encode(this, value);
        }
    }

    /** XDR {@code T name<max>}: count, then the elements. */
    public <T> void writeArray(List<T> values, int max, XdrCodec<T> codec) {
        if (values.size() > max) {
            throw new XdrException("array of " + values.size() + " elements exceeds its maximum " + max);
        }
        writeInt(values.size());
        for (T v : values) {
            codec.encode(this, v);
        }
    }

    /** Raw bytes with no count and no padding: a stream packet's payload is not XDR. */
    public void writeRaw(ByteBuffer src) {
        int n = src.remaining();
        ensure(n);
        src.duplicate().get(buf, pos, n);
        pos += n;
    }

    /** Overwrites the int at {@code offset}, e.g. a length word once the size is known. */
    public void setInt(int offset, int v) {
        if (offset < 0 || offset + 4 > pos) {
            throw new IndexOutOfBoundsException(offset);
        }
        int saved = pos;
        pos = offset;
        writeInt(v);
        pos = saved;
    }

    /** A read-only view of the bytes written; valid until the next write or reset. */
    public ByteBuffer view() {
        return ByteBuffer.wrap(buf, 0, pos).asReadOnlyBuffer();
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, pos);
    }

    private void writePadded(byte[] bytes, int off, int len) {
        int pad = (4 - (len & 3)) & 3;
        ensure(len + pad);
        System.arraycopy(bytes, off, buf, pos, len);
        pos += len;
        System.arraycopy(PAD, 0, buf, pos, pad);
        pos += pad;
    }

    private void ensure(int n) {
        long need = (long) pos + n;
        if (need <= buf.length) {
            return;
        }
        if (need > maxSize) {
            throw new XdrException("encoded data of " + need + " bytes exceeds the maximum " + maxSize);
        }
        long grown = Math.max(need, Math.max(16L, (long) buf.length * 2));
        buf = Arrays.copyOf(buf, (int) Math.min(grown, maxSize));
    }
}
