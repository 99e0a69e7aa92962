package io.jvirt.remote.golden;

import io.jvirt.rpc.wire.Frames;
import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageType;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays libvirtd's side of a recorded session on a unix socket: for each client record it reads the live client's
 * frame and checks it against the recording (program, procedure, type, and the payload byte for byte); for each
 * server record it sends the recorded frame, with a reply's serial rewritten to the live call's. Runs on a virtual
 * thread; mismatches are collected for the test to assert on.
 */
final class ReplayServer implements AutoCloseable {
    private final List<RecordedFrame> script;
    private final ServerSocketChannel server;
    private final Path socket;
    private final List<String> mismatches = new ArrayList<>();
    private int done;

    ReplayServer(List<RecordedFrame> script, Path dir) throws IOException {
        this.script = script;
        this.socket = dir.resolve("replay-sock");
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofVirtual().name("replay-server").start(this::run);
    }

    Path socket() {
        return socket;
    }

    synchronized List<String> mismatches() {
        return List.copyOf(mismatches);
    }

    /** Records played so far. */
    synchronized int done() {
        return done;
    }

    /** Blocks until the record at {@code index} has been played. */
    synchronized void awaitPlayed(int index) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (done <= index && mismatches.isEmpty()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("replay stuck at record " + done + " waiting for " + index);
            }
            wait(left);
        }
    }

    private void run() {
        Map<Integer, Integer> serials = new HashMap<>();
        try (SocketChannel client = server.accept()) {
            for (RecordedFrame record : script) {
                Message recorded = record.decode();
                if (record.fromClient()) {
                    Message live = Frames.read(client).orElse(null);
                    if (live == null) {
                        fail("client closed; expected " + record.describe());
                        return;
                    }
                    String why = differs(recorded, live);
                    if (why != null) {
                        fail(why + " at " + record.describe());
                        return;
                    }
                    if (recorded.header().type() == MessageType.CALL) {
                        serials.put(recorded.header().serial(), live.header().serial());
                    }
                } else {
                    byte[] frame = record.frame().clone();
                    Header h = recorded.header();
                    if (h.type() == MessageType.REPLY) {
                        ByteBuffer.wrap(frame).putInt(20, serials.getOrDefault(h.serial(), h.serial()));
                    }
                    ByteBuffer out = ByteBuffer.wrap(frame);
                    while (out.hasRemaining()) {
                        client.write(out);
                    }
                }
                advance();
            }
        } catch (IOException | RuntimeException e) {
            fail("replay failed: " + e);
        }
    }

    private static String differs(Message recorded, Message live) {
        Header r = recorded.header();
        Header l = live.header();
        if (r.program() != l.program()
                || r.procedure() != l.procedure()
                || r.type() != l.type()
                || r.status() != l.status()) {
            return "client sent " + l;
        }
        byte[] rp = bytes(recorded.payload());
        byte[] lp = bytes(live.payload());
        return Arrays.equals(rp, lp) ? null : "client's payload differs (" + lp.length + " vs " + rp.length + " bytes)";
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private synchronized void advance() {
        done++;
        notifyAll();
    }

    private synchronized void fail(String why) {
        mismatches.add(why);
        notifyAll();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
