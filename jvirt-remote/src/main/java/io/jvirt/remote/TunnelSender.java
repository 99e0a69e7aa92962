package io.jvirt.remote;

import io.jvirt.api.VirtException;
import io.jvirt.rpc.wire.MessageLimits;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Moves a tunnelled migration's bytes from the source's channel into the stream PrepareTunnel3 opened: one
 * reused direct buffer of one full packet, filled by the channel (QEMU's pipe, read by the kernel straight into it)
 * and written behind its frame head uncopied; the pipe and the socket buffers are the pipeline between QEMU and
 * the peer. {@link RemoteStream#send} blocks while the peer does not read (the
 * back-pressure; nothing queues here), {@link RemoteStream#finish()} at the channel's end, {@link RemoteStream#abort()}
 * when reading fails (the source gave up). The channel is closed last either way, which tells the source
 * whether everything went out (see {@link io.jvirt.api.Connection#migratePrepareTunnel3}).
 *
 * <p>Threading: runs on its own platform thread (the channel's reads may block in the kernel).
 */
final class TunnelSender implements Runnable {
    private static final Logger LOG = System.getLogger(TunnelSender.class.getName());
    /** One packet: the driver's channel fills a buffer before it returns, so every packet but the last is full. */
    private static final int BUFFER_BYTES = MessageLimits.STREAM_CHUNK_MAX;

    private final ReadableByteChannel data;
    private final RemoteStream stream;

    TunnelSender(ReadableByteChannel data, RemoteStream stream) {
        this.data = data;
        this.stream = stream;
    }

    /** Starts the sender on a new platform daemon thread. */
    static void start(ReadableByteChannel data, RemoteStream stream) {
        Thread.ofPlatform().daemon(true).name("jvirt-tunnel-out-" + stream.serial())
                .start(new TunnelSender(data, stream));
    }

    @Override
    public void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
        long total = 0;
        try {
            while (true) {
                buffer.clear();
                int n = data.read(buffer);
                if (n < 0) {
                    break;
                }
                buffer.flip();
                stream.send(buffer);
                total += n;
            }
            stream.finish();
            LOG.log(Level.DEBUG, "tunnel stream {0}: {1} bytes sent", stream.serial(), total);
        } catch (IOException | VirtException e) {
            LOG.log(Level.DEBUG, "tunnel stream {0} stopped after {1} bytes: {2}", stream.serial(), total,
                    e.toString());
            stream.abort();
        } finally {
            try {
                data.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing the tunnel's source: {0}", e.toString());
            }
        }
    }
}
