package io.jvirt.daemon;

import io.jvirt.nativeio.SpliceSocket;
import io.jvirt.rpc.tls.TlsChannel;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A client session over qemu+tls: frames travel as the plaintext of an opened {@link TlsChannel}, so the connection
 * counts as secure and has no splice socket (the bytes on the socket are TLS records, not frames). Thread-safe as
 * {@link Transport} requires: the channel reads on one thread and writes on another, and its close ends both.
 */
final class TlsTransport implements Transport {
    private final TlsChannel channel;

    TlsTransport(TlsChannel channel) {
        this.channel = channel;
    }

    @Override
    public ReadableByteChannel in() {
        return channel;
    }

    @Override
    public WritableByteChannel out() {
        return channel;
    }

    @Override
    public boolean isSecure() {
        return true;
    }

    @Override
    public SpliceSocket spliceSocket() {
        return null;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
