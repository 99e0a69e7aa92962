package io.jvirt.driver.console;

import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.NativeIOException;
import io.jvirt.nativeio.Terminal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One console session: what the guest writes on its terminal goes to the client, what the client types goes to
 * the terminal. {@link #stop} (another client took the console, or QEMU went away) ends the way out with an end
 * of data; the way in then runs until the client, having seen it, finishes or aborts its stream, so the client
 * hears no error for a console it was merely asked to leave.
 *
 * <p>Threading: two platform threads of its own ({@code jvirt-console-out-NAME} polls and reads the terminal,
 * {@code jvirt-console-in-NAME} reads the client's stream); {@link #stop} from any thread.
 */
final class ConsoleRelay {
    private static final System.Logger LOG = System.getLogger(ConsoleRelay.class.getName());
    /** How long the outward thread sleeps in poll(2) before it looks whether it was stopped. */
    private static final int POLL_MILLIS = 200;

    private final String name;
    private final int fd;
    private final ReadableByteChannel fromClient;
    private final WritableByteChannel toClient;
    private final Runnable onEnd;
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** The threads still using {@link #fd}; the last one out closes it, so its number is never reused under the other. */
    private final AtomicInteger users = new AtomicInteger(2);

    private ConsoleRelay(
            String name, int fd, ReadableByteChannel fromClient, WritableByteChannel toClient, Runnable onEnd) {
        this.name = name;
        this.fd = fd;
        this.fromClient = fromClient;
        this.toClient = toClient;
        this.onEnd = onEnd;
    }

    /**
     * Opens the terminal at {@code path} and starts relaying.
     *
     * @param onEnd runs once the session is over in both directions
     */
    static ConsoleRelay start(
            String name, String path, ReadableByteChannel fromClient, WritableByteChannel toClient, Runnable onEnd)
            throws NativeIOException {
        ConsoleRelay r = new ConsoleRelay(name, Terminal.open(path), fromClient, toClient, onEnd);
        Thread.ofPlatform().daemon().name("jvirt-console-out-" + name).start(r::outward);
        Thread.ofPlatform().daemon().name("jvirt-console-in-" + name).start(r::inward);
        return r;
    }

    /** Ends the session from this side: the client gets the end of data. Idempotent. */
    void stop() {
        stopped.set(true);
    }

    boolean isStopped() {
        return stopped.get();
    }

    private void outward() {
        byte[] buf = new byte[4096];
        try {
            while (!stopped.get()) {
                if (!Terminal.awaitReadable(fd, POLL_MILLIS)) {
                    continue;
                }
                int n = NativeFds.read(fd, buf, 0, buf.length);
                if (n < 0) {
                    break;
                }
                toClient.write(ByteBuffer.wrap(buf, 0, n));
            }
        } catch (IOException e) {
            // EIO once QEMU closed the terminal's other side; a write error once the client's stream is gone.
            LOG.log(System.Logger.Level.DEBUG, "console {0}: {1}", name, e.toString());
        } finally {
            stopped.set(true);
            release();
            try {
                toClient.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "console {0}: end of data: {1}", name, e.toString());
            }
        }
    }

    private void inward() {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try {
            while (fromClient.read(buf.clear()) >= 0) {
                if (!stopped.get() && buf.position() > 0) {
                    NativeFds.write(fd, buf.array(), 0, buf.position());
                }
            }
        } catch (IOException e) {
            // The client aborted its stream (virsh's escape key), or its session ended.
            LOG.log(System.Logger.Level.DEBUG, "console {0}: client side ended: {1}", name, e.toString());
        } finally {
            stopped.set(true);
            release();
            try {
                fromClient.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "console {0}: close: {1}", name, e.toString());
            }
            onEnd.run();
        }
    }

    private void release() {
        if (users.decrementAndGet() == 0) {
            NativeFds.closeQuietly(fd);
        }
    }
}
