package io.jvirt.daemon;

import io.jvirt.rpc.wire.Frames;
import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageLimits;
import io.jvirt.rpc.xdr.XdrReader;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;

/**
 * Reads a client's frames from a blocking channel: the length word and header into one reused direct buffer, then
 * the rest. A payload the {@link Lender} takes (stream data of an open incoming stream) is read straight into the
 * buffer it lends (or taken off the socket by the lender itself), so bulk data costs no allocation and no copy on
 * the JVM's side; any other frame gets a new heap
 * buffer and is decoded as {@link Frames#decode} does. Lengths are checked as {@link Frames} checks them.
 *
 * <p>Threading: the session's reader thread only.
 */
final class FrameReader {
    /** Where a payload goes. */
    @FunctionalInterface
    interface Lender {
        /**
         * A buffer at position 0 with room for {@code payloadBytes}, for the payload of the frame {@code header}
         * starts; null to have it allocated; or {@link #CONSUMED} when the lender has itself taken the payload off
         * the socket (spliced it into a pipe). May block (back-pressure: the socket is not read meanwhile).
         *
         * @throws IOException if the lender took part of the payload and failed: the frames are lost
         */
        ByteBuffer lend(Header header, int payloadBytes) throws InterruptedException, IOException;
    }

    /** What a lender returns for a payload it has taken off the socket itself; the message then has no payload. */
    static final ByteBuffer CONSUMED = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final ReadableByteChannel in;
    private final ByteBuffer head = ByteBuffer.allocateDirect(MessageLimits.MIN_FRAME);

    FrameReader(ReadableByteChannel in) {
        this.in = in;
    }

    /**
     * The next message, or empty if the channel ended cleanly before its first byte. A lent buffer comes back as
     * the message's payload (flipped: position 0, limit the payload's size).
     *
     * @throws EOFException if the channel ends inside a frame
     */
    Optional<Message> next(Lender lender) throws IOException, InterruptedException {
        head.clear().limit(MessageLimits.LENGTH_WORD);
        if (!fill(head) && head.position() == 0) {
            return Optional.empty();
        }
        if (head.hasRemaining()) {
            throw new EOFException("stream ended inside a length word");
        }
        int rest = Frames.restLength(head.getInt(0));
        head.limit(MessageLimits.MIN_FRAME);
        if (!fill(head)) {
            throw new EOFException("stream ended after " + (head.position() - MessageLimits.LENGTH_WORD) + " of " + rest
                    + " bytes of a message");
        }
        Header header = Header.decode(new XdrReader(head.slice(MessageLimits.LENGTH_WORD, MessageLimits.HEADER)));
        int payload = rest - MessageLimits.HEADER;
        if (payload > 0 && !header.type().carriesFds()) {
            ByteBuffer lent = lender.lend(header, payload);
            if (lent == CONSUMED) {
                return Optional.of(new Message(header, CONSUMED));
            }
            if (lent != null) {
                lent.clear().limit(payload);
                readRest(lent, rest);
                return Optional.of(new Message(header, lent.flip()));
            }
        }
        ByteBuffer body = ByteBuffer.allocate(rest);
        body.put(head.slice(MessageLimits.LENGTH_WORD, MessageLimits.HEADER));
        readRest(body, rest);
        return Optional.of(Frames.decode(body.flip()));
    }

    private void readRest(ByteBuffer dst, int rest) throws IOException {
        if (!fill(dst)) {
            throw new EOFException("stream ended inside a message of " + rest + " bytes");
        }
    }

    private boolean fill(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (in.read(buf) < 0) {
                return false;
            }
        }
        return true;
    }
}
