package io.jvirt.qmp.wire;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a byte stream into newline-terminated messages, whatever the chunking of the input: a message may
 * arrive split at any byte, or many may arrive in one read. A trailing CR is dropped (QEMU ends lines with CRLF)
 * and empty lines are skipped. Bounded: a message longer than the limit is an error, never an unbounded buffer.
 * Not thread safe; owned by the reader thread.
 */
final class LineFramer {
    /** A message exceeded the framer's limit; the stream cannot be resynchronised, so the monitor closes. */
    static final class FrameTooLongException extends IOException {
        FrameTooLongException(int limit) {
            super("QMP message longer than " + limit + " bytes without a newline");
        }
    }

    private final int maxMessageBytes;
    private byte[] partial = new byte[4096];
    private int length;

    LineFramer(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Consumes {@code b[off..off+len)} and returns the messages it completed, in order. */
    List<byte[]> feed(byte[] b, int off, int len) throws FrameTooLongException {
        List<byte[]> messages = new ArrayList<>();
        int end = off + len;
        int start = off;
        for (int i = off; i < end; i++) {
            if (b[i] == '\n') {
                append(b, start, i - start);
                emit(messages);
                start = i + 1;
            }
        }
        append(b, start, end - start);
        return messages;
    }

    /** Bytes held of a message not yet complete. */
    int pendingBytes() {
        return length;
    }

    private void append(byte[] b, int off, int len) throws FrameTooLongException {
        if (len == 0) {
            return;
        }
        if ((long) length + len > maxMessageBytes) {
            length = 0;
            throw new FrameTooLongException(maxMessageBytes);
        }
        if (length + len > partial.length) {
            int capacity = (int) Math.min(maxMessageBytes, Math.max((long) partial.length * 2, (long) length + len));
            partial = Arrays.copyOf(partial, capacity);
        }
        System.arraycopy(b, off, partial, length, len);
        length += len;
    }

    private void emit(List<byte[]> messages) {
        int end = length;
        if (end > 0 && partial[end - 1] == '\r') {
            end--;
        }
        if (end > 0) {
            messages.add(Arrays.copyOf(partial, end));
        }
        length = 0;
    }
}
