package io.jvirt.rpc.wire;

import io.jvirt.rpc.xdr.XdrException;
import io.jvirt.rpc.xdr.XdrReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;

/**
 * Reads one frame from a blocking stream or channel. The length word is checked against
 * {@link MessageLimits#MAX} before the rest is allocated, as libvirt does; a bad length is an
 * {@link XdrException}, after which the connection cannot be resynchronised and must be closed.
 * Runs on the connection's reader thread; blocking reads.
 */
public final class Frames {
    private Frames() {}

    /**
     * The next message, or empty if the stream ended cleanly before its first byte.
     *
     * @throws EOFException if the stream ends inside a frame
     */
    public static Optional<Message> read(InputStream in) throws IOException {
        byte[] word = new byte[MessageLimits.LENGTH_WORD];
        int first = in.readNBytes(word, 0, word.length);
        if (first == 0) {
            return Optional.empty();
        }
        if (first < word.length) {
            throw new EOFException("stream ended inside a length word");
        }
        int rest = restLength(ByteBuffer.wrap(word).getInt());
        byte[] body = in.readNBytes(rest);
        if (body.length < rest) {
            throw new EOFException("stream ended after " + body.length + " of " + rest + " bytes of a message");
        }
        return Optional.of(decode(ByteBuffer.wrap(body)));
    }

    /** As {@link #read(InputStream)}, for a blocking channel. */
    public static Optional<Message> read(ReadableByteChannel ch) throws IOException {
        ByteBuffer word = ByteBuffer.allocate(MessageLimits.LENGTH_WORD);
        if (!fill(ch, word) && word.position() == 0) {
            return Optional.empty();
        }
        if (word.hasRemaining()) {
            throw new EOFException("stream ended inside a length word");
        }
        ByteBuffer body = ByteBuffer.allocate(restLength(word.flip().getInt()));
        if (!fill(ch, body) || body.hasRemaining()) {
            throw new EOFException(
                    "stream ended after " + body.position() + " of " + body.capacity() + " bytes of a message");
        }
        return Optional.of(decode(body.flip()));
    }

    /**
     * The number of bytes after the length word, given the word as read (it counts itself).
     * Refuses a frame too small for a header, or over {@link MessageLimits#MAX}.
     */
    public static int restLength(int lengthWord) {
        long len = Integer.toUnsignedLong(lengthWord);
        if (len < MessageLimits.MIN_FRAME) {
            throw new XdrException(
                    "packet " + len + " bytes received too small, want at least " + MessageLimits.MIN_FRAME);
        }
        long rest = len - MessageLimits.LENGTH_WORD;
        if (rest > MessageLimits.MAX) {
            throw new XdrException("packet " + rest + " bytes received too large, want at most " + MessageLimits.MAX);
        }
        return (int) rest;
    }

    /** A message from the bytes after the length word: header, fd count if the type has one, payload. */
    public static Message decode(ByteBuffer body) {
        XdrReader in = new XdrReader(body);
        Header header = Header.decode(in);
        int fds = 0;
        if (header.type().carriesFds()) {
            long n = in.readUnsignedInt();
            if (n > MessageLimits.NUM_FDS_MAX) {
                throw new XdrException(
                        "Received too many FDs " + n + ", expected " + MessageLimits.NUM_FDS_MAX + " maximum");
            }
            fds = (int) n;
        }
        return new Message(header, fds, in.readRest());
    }

    private static boolean fill(ReadableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                return false;
            }
        }
        return true;
    }
}
