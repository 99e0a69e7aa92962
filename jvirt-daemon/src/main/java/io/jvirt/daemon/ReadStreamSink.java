package io.jvirt.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * The server's side of a read stream (a screenshot): what the driver writes goes to the client as the stream's
 * data; {@link #close} sends the end of data and then waits for the client's finish (or abort), which it
 * confirms, as libvirtd does before it forgets the stream.
 *
 * <p>Threading: one writing thread, which also closes it.
 */
final class ReadStreamSink implements WritableByteChannel {
    private final IncomingStream stream;
    private final StreamReplies out;

    ReadStreamSink(IncomingStream stream, StreamReplies out) {
        this.stream = stream;
        this.out = out;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return out.write(src);
    }

    @Override
    public boolean isOpen() {
        return out.isOpen();
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
            ByteBuffer ignored = ByteBuffer.allocate(256);
            while (stream.read(ignored.clear()) >= 0) {
                // A read stream's client sends no data; its finish ends this loop.
            }
        } finally {
            stream.close();
        }
    }
}
