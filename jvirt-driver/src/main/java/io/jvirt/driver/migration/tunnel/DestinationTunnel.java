package io.jvirt.driver.migration.tunnel;

import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.Pipe;
import io.jvirt.nativeio.PipeFeed;
import io.jvirt.nativeio.PipeWait;
import io.jvirt.nativeio.UnixSocket;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The destination end of a tunnelled migration: QEMU reads its incoming stream from {@code fd:migrate-in}, the
 * read end of a pipe passed with getfd, and a dedicated platform thread moves the tunnel's bytes (the channel
 * the daemon fills from the RPC stream) into the write end: a {@link PipeFeed} puts them there itself (the daemon
 * splices them from its socket), any other channel is copied through one reused native buffer. The channel's end
 * closes the write end, which is QEMU's end of stream; a failed or aborted channel closes it too, QEMU's incoming
 * migration then fails and Finish(cancelled) tears the domain down. The channel is closed when the pump is done,
 * which tells the stream's sender whether everything went in (see
 * {@link io.jvirt.api.MigrationPhases#migratePrepareTunnel3}).
 *
 * <p>With several channels ({@link DestinationTunnelChannels}) QEMU reads a unix socket instead: {@link #startRelay} adds a
 * relay that moves the pipe's bytes into a connection to QEMU's incoming socket, spliced, never read here.
 *
 * <p>Threading: the pump and the relay each run on their own platform thread (blocking pipe and socket calls
 * would pin a virtual thread); {@link #close()} may come from any thread.
 */
public final class DestinationTunnel implements AutoCloseable {
    private static final Logger LOG = System.getLogger(DestinationTunnel.class.getName());
    public static final String FD_NAME = "migrate-in";
    private static final int BUFFER_BYTES = 1 << 20;
    private static final long JOIN_MILLIS = 5_000;

    private final Pipe pipe;
    private final ReadableByteChannel data;
    private final AtomicBoolean qemuEndClosed = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread pump;
    private volatile Thread relay;
    private volatile UnixSocket qemuSocket;

    public DestinationTunnel(ReadableByteChannel data) {
        this.data = data;
        this.pipe = SourceTunnel.openPipe();
    }

    /** The pipe end QEMU reads. */
    public int qemuFd() {
        return pipe.readFd();
    }

    /** QEMU has its own copy of {@link #qemuFd()}; ours goes, so QEMU alone holds the reading end. */
    public void closeQemuEnd() {
        if (qemuEndClosed.compareAndSet(false, true)) {
            NativeFds.closeQuietly(pipe.readFd());
        }
    }

    /** Starts the pump; call once, after QEMU has the read end. */
    public void start(String domain) {
        Thread t = Thread.ofPlatform()
                .daemon(true)
                .name("jvirt-tunnel-in-" + domain)
                .unstarted(() -> run(domain));
        pump = t;
        t.start();
    }

    /**
     * Starts the pump and a relay into QEMU's incoming socket at {@code socket}; our read end stays ours. The
     * relay connects only once the channel's first bytes are here: QEMU, to tell a main channel from a multifd
     * one, peeks at each connection's first bytes while holding its main loop (and its monitor) until they come.
     */
    void startRelay(String domain, int channel, Path socket) {
        startRelay(domain, String.valueOf(channel), socket, null);
    }

    /**
     * As {@link #startRelay(String, int, Path)} into {@code connected}, a connection made already: for a protocol
     * whose server speaks first (NBD), which must not wait for the channel's first bytes. The relay closes it at
     * its end, as its own.
     */
    void startRelay(String domain, String channel, UnixSocket connected) {
        startRelay(domain, channel, null, connected);
    }

    private void startRelay(String domain, String channel, Path socket, UnixSocket connected) {
        qemuEndClosed.set(true); // the read end is the relay's, released by it, never handed to QEMU
        qemuSocket = connected;
        Thread t = Thread.ofPlatform()
                .daemon(true)
                .name("jvirt-tunnel-relay-" + domain + "-" + channel)
                .unstarted(() -> relay(domain, channel, socket, connected));
        relay = t;
        t.start();
        start(domain + "-" + channel);
    }

    private void relay(String domain, String channel, Path socket, UnixSocket connected) {
        long total = 0;
        UnixSocket out = connected;
        try {
            while (true) {
                int n = PipeWait.awaitBytes(pipe.readFd());
                if (closed.get() || (n == 0 && out == null)) {
                    break;
                }
                if (out == null) {
                    out = UnixSocket.connect(socket);
                    qemuSocket = out;
                    if (closed.get()) {
                        break;
                    }
                }
                if (n == 0) {
                    out.shutdownOutput();
                    break;
                }
                out.spliceFromPipe(pipe.readFd(), n);
                total += n;
            }
            LOG.log(Level.DEBUG, "tunnel channel {0} into {1}: {2} bytes", channel, domain, total);
        } catch (IOException e) {
            LOG.log(
                    Level.DEBUG,
                    "tunnel channel {0} into {1} ended after {2} bytes: {3}",
                    channel,
                    domain,
                    total,
                    e.toString());
            // QEMU stopped taking this channel: the pump must not wait for a reader that is gone.
            closeData();
        } finally {
            NativeFds.closeQuietly(pipe.readFd());
            if (out != null) {
                out.close();
            }
        }
    }

    private void run(String domain) {
        long total = 0;
        try {
            total = data instanceof PipeFeed feed ? fed(feed) : copied();
            LOG.log(Level.DEBUG, "tunnel into {0}: {1} bytes", domain, total);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "tunnel into {0} ended: {1}", domain, e.toString());
        } finally {
            // The write end first: QEMU sees its end of stream (or a truncated one) before the sender hears back.
            NativeFds.closeQuietly(pipe.writeFd());
            closeData();
        }
    }

    /** The channel puts its bytes into the pipe itself (spliced from the daemon's socket): none pass through here. */
    private long fed(PipeFeed feed) throws IOException {
        long total = 0;
        while (!closed.get()) {
            long n = feed.transferTo(pipe.writeFd());
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private long copied() throws IOException {
        long total = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER_BYTES);
            ByteBuffer view = buffer.asByteBuffer();
            while (!closed.get()) {
                view.clear();
                int n = data.read(view);
                if (n < 0) {
                    break;
                }
                if (n > 0) {
                    NativeFds.write(pipe.writeFd(), buffer, view.position());
                    total += view.position();
                }
            }
        }
        return total;
    }

    /** Stops the pump (its channel read fails) and waits a little for it; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQemuEnd();
        closeData();
        UnixSocket out = qemuSocket;
        if (out != null) {
            out.close(); // wakes a relay blocked on QEMU
        }
        Thread t = pump;
        if (t == null) {
            NativeFds.closeQuietly(pipe.writeFd());
            return;
        }
        join(t);
        Thread r = relay;
        if (r != null) {
            join(r);
        }
    }

    private static void join(Thread t) {
        try {
            t.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the pump thread (and the relay, if any) has ended (tests). */
    boolean pumpDone() {
        Thread t = pump;
        Thread r = relay;
        return (t == null || !t.isAlive()) && (r == null || !r.isAlive());
    }

    private void closeData() {
        try {
            data.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the tunnel's source: {0}", e.toString());
        }
    }
}
