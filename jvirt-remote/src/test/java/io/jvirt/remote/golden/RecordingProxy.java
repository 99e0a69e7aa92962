package io.jvirt.remote.golden;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A unix-socket relay between one client and libvirtd that records every frame, in the order the relay forwarded
 * them. Capture tool only (not run in CI). Two virtual threads pump the two directions.
 */
final class RecordingProxy implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Path upstream;
    private final List<RecordedFrame> frames = new ArrayList<>();
    private final List<SocketChannel> open = new ArrayList<>();

    RecordingProxy(Path listen, Path upstream) throws IOException {
        this.upstream = upstream;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(listen));
        Thread.ofVirtual().name("recording-proxy").start(this::acceptOne);
    }

    synchronized List<RecordedFrame> frames() {
        return List.copyOf(frames);
    }

    private void acceptOne() {
        try {
            SocketChannel client = server.accept();
            SocketChannel daemon = SocketChannel.open(UnixDomainSocketAddress.of(upstream));
            synchronized (this) {
                open.add(client);
                open.add(daemon);
            }
            Thread.ofVirtual().start(() -> pump(client, daemon, true));
            Thread.ofVirtual().start(() -> pump(daemon, client, false));
        } catch (IOException e) {
            System.err.println("proxy: " + e);
        }
    }

    private void pump(SocketChannel from, SocketChannel to, boolean fromClient) {
        try {
            while (true) {
                ByteBuffer word = ByteBuffer.allocate(4);
                if (!fill(from, word)) {
                    break;
                }
                int length = word.flip().getInt(0);
                ByteBuffer frame = ByteBuffer.allocate(length);
                frame.putInt(length);
                if (!fill(from, frame)) {
                    break;
                }
                synchronized (this) {
                    frames.add(new RecordedFrame(fromClient, frame.array()));
                }
                frame.flip();
                while (frame.hasRemaining()) {
                    to.write(frame);
                }
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // One side went away; the other pump notices on its own.
        }
    }

    private static boolean fill(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized void close() throws IOException {
        server.close();
        for (SocketChannel c : open) {
            c.close();
        }
    }
}
