package io.jvirt.remote;

import io.jvirt.api.VirtException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * The other half of a two-way tunnel stream (jvirt's storage tunnel): what the peer sends back on a stream that
 * {@link TunnelSender} fills is written into the source's channel, in order, until the peer's end of data, the
 * stream's end or its failure; the channel is closed then, which tells the source the far side is gone. The
 * answers are small (NBD replies), so they are copied.
 *
 * <p>Threading: runs on its own platform thread (the channel's writes may block in the kernel).
 */
final class TunnelReceiver implements Runnable {
    private static final Logger LOG = System.getLogger(TunnelReceiver.class.getName());

    private final RemoteStream stream;
    private final WritableByteChannel out;

    TunnelReceiver(RemoteStream stream, WritableByteChannel out) {
        this.stream = stream;
        this.out = out;
    }

    /** Starts the receiver on a new platform daemon thread. */
    static void start(RemoteStream stream, WritableByteChannel out) {
        Thread.ofPlatform()
                .daemon(true)
                .name("jvirt-tunnel-back-" + stream.serial())
                .start(new TunnelReceiver(stream, out));
    }

    @Override
    public void run() {
        long total = 0;
        try {
            ByteBuffer next;
            while ((next = stream.receive()) != null) {
                while (next.hasRemaining()) {
                    total += out.write(next);
                }
            }
            LOG.log(Level.DEBUG, "tunnel stream {0}: {1} bytes received", stream.serial(), total);
        } catch (IOException | VirtException e) {
            LOG.log(Level.DEBUG, "tunnel stream {0} stopped receiving: {1}", stream.serial(), e.toString());
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing the tunnel's receiving end: {0}", e.toString());
            }
        }
    }
}
