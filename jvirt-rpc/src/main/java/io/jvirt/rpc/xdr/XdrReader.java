package io.jvirt.rpc.xdr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads XDR items from a buffer. Every count read off the wire is checked against the caller's maximum and
 * against the bytes left <em>before</em> anything is allocated, so a hostile length costs nothing.
 * Not thread-safe: one reader per decoding thread.
 */
public final class XdrReader {
    private final ByteBuffer in;

    /** Reads from {@code src}'s position to its limit; {@code src} itself is left untouched. */
    public XdrReader(ByteBuffer src) {
        this.in = src.duplicate().order(ByteOrder.BIG_ENDIAN);
    }

    public XdrReader(byte[] src) {
        this(ByteBuffer.wrap(src));
    }

    /** Bytes not read yet. */
    public int remaining() {
        return in.remaining();
    }

    /** Fails unless every byte was consumed; for callers that want to catch layout mismatches. */
    public void requireEnd() {
        if (in.hasRemaining()) {
            throw new XdrException(in.remaining() + " unexpected bytes after the data");
        }
    }

    public int readInt() {
        need(4, "int");
        return in.getInt();
    }

    /** XDR {@code unsigned int} as a non-negative long. */
    public long readUnsignedInt() {
        return Integer.toUnsignedLong(readInt());
    }

    /** XDR {@code hyper}; for {@code unsigned hyper} the long holds the bits. */
    public long readHyper() {
        need(8, "hyper");
        return in.getLong();
    }

    /** Like glibc's xdr_bool, any non-zero word is true. */
    public boolean readBool() {
        return readInt() != 0;
    }

    public double readDouble() {
        return Double.longBitsToDouble(readHyper());
    }

    /** XDR {@code string<max>}, decoded as UTF-8. */
    public String readString(int max) {
        int len = readLength(max, "string");
        byte[] bytes = new byte[len];
        in.get(bytes);
        skipPad(len);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** XDR {@code opaque<max>}. */
    public byte[] readOpaque(int max) {
        int len = readLength(max, "opaque");
        byte[] bytes = new byte[len];
        in.get(bytes);
        skipPad(len);
        return bytes;
    }

    /** XDR {@code opaque[length]}. */
    public byte[] readFixedOpaque(int length) {
        need(padded(length), "fixed opaque");
        byte[] bytes = new byte[length];
        in.get(bytes);
        skipPad(length);
        return bytes;
    }

    /** XDR {@code T *}; absent is {@code null}. */
    public <T> T readOptional(XdrCodec<T> codec) {
        return readBool() ? codec.decode(this) : null;
    }

    /** XDR {@code T name<max>}; elements may be null for optional element types. Each element takes at least 4 bytes, which bounds the count by what is left. */
    public <T> List<T> readArray(int max, XdrCodec<T> codec) {
        long count = readUnsignedInt();
        if (count > max) {
            throw new XdrException("array count " + count + " exceeds its maximum " + max);
        }
        if (count * 4 > in.remaining()) {
            throw new XdrException("array count " + count + " exceeds the " + in.remaining() + " bytes left");
        }
        List<T> out = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            out.add(codec.decode(this));
        }
        return Collections.unmodifiableList(out);
    }

    /** Everything left, raw; for stream data, which is not XDR. */
    public ByteBuffer readRest() {
        ByteBuffer rest = in.slice().asReadOnlyBuffer();
        in.position(in.limit());
        return rest;
    }

    private int readLength(int max, String what) {
        long len = readUnsignedInt();
        if (len > max) {
            throw new XdrException(what + " length " + len + " exceeds its maximum " + max);
        }
        if (padded(len) > in.remaining()) {
            throw new XdrException(what + " length " + len + " exceeds the " + in.remaining() + " bytes left");
        }
        return (int) len;
    }

    private void skipPad(int len) {
        in.position(in.position() + (int) (padded(len) - len));
    }

    private void need(long n, String what) {
        if (in.remaining() < n) {
            throw new XdrException("truncated data: " + what + " needs " + n + " bytes, " + in.remaining() + " left");
        }
    }

    private static long padded(long len) {
        return (len + 3) & ~3L;
    }
}
