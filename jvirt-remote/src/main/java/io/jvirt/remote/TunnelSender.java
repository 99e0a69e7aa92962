package io.jvirt.remote;

import io.jvirt.api.VirtException;
import io.jvirt.nativeio.SpliceSource;
import io.jvirt.rpc.wire.MessageLimits;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Moves a tunnelled migration's bytes from the source's channel into the stream PrepareTunnel3 opened. When the
 * channel is a pipe ({@link SpliceSource}) and the JVM lets us see the socket's descriptor, each packet's head is
 * written and its payload spliced from the pipe into the socket, so the bytes never pass through the JVM;
 * otherwise one reused direct buffer of one full packet is filled by the channel and written behind its frame
 * head uncopied. The pipe and the socket buffers are the pipeline between QEMU and the peer. Sending blocks
 * while the peer does not read (the back-pressure; nothing queues here); {@link RemoteStream#finish()} follows the
 * channel's end, {@link RemoteStream#abort()} a failed read (the source gave up). The channel is closed last either
 * way, which tells the source whether everything went out (see {@link io.jvirt.api.MigrationPhases#migratePrepareTunnel3}).
 *
 * <p>Threading: runs on its own platform thread (the channel's reads may block in the kernel).
 */
final class TunnelSender implements Runnable {
    private static final Logger LOG = System.getLogger(TunnelSender.class.getName());
    /** Most bytes per packet (libvirt's chunk); copied, the driver's channel fills a buffer before it returns. */
    private static final int BUFFER_BYTES = MessageLimits.STREAM_CHUNK_MAX;

    private final ReadableByteChannel data;
    private final RemoteStream stream;

    TunnelSender(ReadableByteChannel data, RemoteStream stream) {
        this.data = data;
        this.stream = stream;
    }

    /** Starts the sender on a new platform daemon thread. */
    static void start(ReadableByteChannel data, RemoteStream stream) {
        Thread.ofPlatform()
                .daemon(true)
                .name("jvirt-tunnel-out-" + stream.serial())
                .start(new TunnelSender(data, stream));
    }

    @Override
    public void run() {
        long total = 0;
        try {
            total = data instanceof SpliceSource pipe && stream.canSplice() ? spliced(pipe) : copied();
            stream.finish();
            LOG.log(Level.DEBUG, "tunnel stream {0}: {1} bytes sent", stream.serial(), total);
        } catch (IOException | VirtException e) {
            LOG.log(Level.DEBUG, "tunnel stream {0} stopped: {1}", stream.serial(), e.toString());
            stream.abort();
        } finally {
            try {
                data.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing the tunnel's source: {0}", e.toString());
            }
        }
    }

    /** Packets spliced from the source's pipe into the socket: the bytes never enter the JVM. */
    private long spliced(SpliceSource pipe) throws IOException {
        long total = 0;
        while (true) {
            int waiting = pipe.awaitBytes();
            if (waiting < 0) {
                return total;
            }
            int n = Math.min(waiting, BUFFER_BYTES);
            stream.sendSpliced(n, socket -> pipe.spliceTo(socket, n));
            total += n;
        }
    }

    /** Packets read into one reused direct buffer and written behind their heads uncopied. */
    private long copied() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
        long total = 0;
        while (true) {
            buffer.clear();
            int n = data.read(buffer);
            if (n < 0) {
                return total;
            }
            buffer.flip();
            stream.send(buffer);
            total += n;
        }
    }
}
