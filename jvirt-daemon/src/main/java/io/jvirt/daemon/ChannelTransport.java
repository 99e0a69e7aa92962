package io.jvirt.daemon;

import io.jvirt.nativeio.SpliceSocket;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link Transport} over plain channels: frames go over the wire as they are, so when {@code in} is a socket its
 * payloads can be spliced straight out of it. Thread-safe as {@link Transport} requires; the splice socket is made
 * and closed under one lock, so a close never races its creation.
 */
final class ChannelTransport implements Transport {
    private final ReadableByteChannel in;
    private final WritableByteChannel out;
    private final Closeable closer;
    private final boolean secure;
    private final Object spliceLock = new Object();
    /** Whether the splice socket was made (or can no longer be: closed); guarded by {@link #spliceLock}. */
    private boolean spliceTried;

    private SpliceSocket splice;

    ChannelTransport(ReadableByteChannel in, WritableByteChannel out, Closeable closer, boolean secure) {
        this.in = in;
        this.out = out;
        this.closer = closer;
        this.secure = secure;
    }

    @Override
    public ReadableByteChannel in() {
        return in;
    }

    @Override
    public WritableByteChannel out() {
        return out;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public SpliceSocket spliceSocket() {
        synchronized (spliceLock) {
            if (!spliceTried) {
                spliceTried = true;
                if (in instanceof SocketChannel sc) {
                    splice = SpliceSocket.of(sc).orElse(null);
                }
            }
            return splice;
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (spliceLock) {
            spliceTried = true;
            if (splice != null) {
                splice.close();
            }
        }
        closer.close();
    }
}
