package io.jvirt.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the splice path (pipe → socket → pipe, with the waits in between) many times over on a loopback
 * connection of its own, so that it is known to work on this kernel and the JIT has compiled it before the first
 * tunnelled migration needs it: cold, each of the few native calls a packet makes costs far more than the packet's
 * own copying, and the compiler would compete with QEMU for the CPU while the guest's memory flows.
 *
 * <p>Threading: call from a background platform thread at start; it blocks in the kernel.
 */
public final class SpliceWarmup {
    private static final System.Logger LOG = System.getLogger(SpliceWarmup.class.getName());
    private static final int ROUNDS = 20_000;
    private static final int BYTES = 4096;

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private SpliceWarmup() {}

    /** Runs {@link #run()} on a background platform thread, once per JVM; later calls do nothing. */
    public static void startOnce() {
        if (STARTED.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon(true).name("jvirt-splice-warmup").start(SpliceWarmup::run);
        }
    }

    /**
     * True when {@link #ROUNDS} small packets went through whole; false when splicing is unavailable, or (logged)
     * fails here, in which case {@link SpliceSocket} is switched off for this JVM.
     */
    public static boolean run() {
        if (!SpliceSocket.available()) {
            LOG.log(
                    Level.INFO,
                    "tunnelled migration will copy its bytes: this JVM does not show socket descriptors"
                            + " (run it with --add-exports java.base/sun.nio.ch=ALL-UNNAMED to splice them)");
            return false;
        }
        long t0 = System.nanoTime();
        try (ServerSocketChannel server =
                        ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                SocketChannel out = SocketChannel.open(server.getLocalAddress());
                SocketChannel in = server.accept();
                Arena arena = Arena.ofConfined()) {
            in.configureBlocking(false); // as the JDK leaves a socket its virtual threads used
            Pipe from = Pipe.open(0);
            Pipe to = Pipe.open(0);
            try (SpliceSocket sender = SpliceSocket.of(out).orElseThrow();
                    SpliceSocket receiver = SpliceSocket.of(in).orElseThrow()) {
                MemorySegment buffer = arena.allocate(BYTES);
                for (int i = 0; i < ROUNDS; i++) {
                    buffer.set(JAVA_INT, 0, i);
                    NativeFds.write(from.writeFd(), buffer, BYTES);
                    int n = PipeWait.awaitBytes(from.readFd());
                    sender.fromPipe(from.readFd(), n);
                    receiver.toPipe(to.writeFd(), n);
                    if (NativeFds.read(to.readFd(), buffer, BYTES) != BYTES || buffer.get(JAVA_INT, 0) != i) {
                        throw new IOException("packet " + i + " came back wrong");
                    }
                }
            } finally {
                for (int fd : new int[] {from.readFd(), from.writeFd(), to.readFd(), to.writeFd()}) {
                    NativeFds.closeQuietly(fd);
                }
            }
            LOG.log(Level.DEBUG, "splice path warmed up in {0} ms", (System.nanoTime() - t0) / 1_000_000);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "splice(2) does not work here, tunnelled migration will copy: {0}", e.toString());
            SpliceSocket.disable();
            return false;
        }
    }
}
