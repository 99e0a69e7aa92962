package io.jvirt.driver.migration.tunnel;

import io.jvirt.nativeio.UnixSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * On the source of a storage tunnel ({@link SourceStorageTunnel}): the way back into one of QEMU's NBD client
 * connections, where the destination's NBD server's answers are written. Its end means the server is gone (or the
 * stream is): the connection is ended at once, so QEMU's NBD client sees it and its mirror fails rather than
 * waiting for answers that cannot come.
 *
 * <p>Threading: one writing thread (the stream's receiver); close from it or any other.
 */
final class NbdAnswers implements WritableByteChannel {
    private final UnixSocket socket;
    private final TunnelChannelSource requests;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private byte[] buffer = new byte[0];

    NbdAnswers(UnixSocket socket, TunnelChannelSource requests) {
        this.socket = socket;
        this.requests = requests;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!open.get()) {
            throw new ClosedChannelException();
        }
        int n = src.remaining();
        if (buffer.length < n) {
            buffer = new byte[n];
        }
        src.get(buffer, 0, n);
        socket.write(buffer, 0, n);
        return n;
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    /** Ends QEMU's connection (its requests' sender then fails, unless it ended already). */
    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            requests.abort();
        }
    }
}
