package io.jvirt.remote;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.nativeio.SpliceSocket;
import io.jvirt.rpc.tls.TlsChannel;
import io.jvirt.rpc.wire.Frames;
import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Keepalive;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageEncoder;
import io.jvirt.rpc.wire.MessageStatus;
import io.jvirt.rpc.wire.MessageType;
import io.jvirt.rpc.wire.Program;
import io.jvirt.rpc.wire.RemoteError;
import io.jvirt.rpc.xdr.XdrCodec;
import io.jvirt.rpc.xdr.XdrException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One RPC connection: numbers calls, writes them under one lock, and runs the reader thread (virtual; JDK socket
 * reads do not pin) that hands each REPLY to the caller waiting on its serial, answers PINGs, passes REMOTE
 * MESSAGEs (events) to the event sink and STREAM packets to their {@link RemoteStream}. Any number of threads may
 * call at once; replies may come back in any order. When the socket breaks, every waiting call and stream fails
 * at once with the same {@link VirtException}.
 */
final class RpcClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RpcClient.class.getName());
    /** Payloads from this size on are written in place rather than copied into the encoder's buffer. */
    private static final int GATHER_MIN_BYTES = 16 << 10;

    private final Link link;
    private final String name;
    private final Consumer<Message> events;
    private final RemoteOptions options;
    private final MessageEncoder encoder = new MessageEncoder();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicInteger serials = new AtomicInteger();
    private final Map<Integer, PendingCall> pending = new ConcurrentHashMap<>();
    private final Map<Integer, RemoteStream> streams = new ConcurrentHashMap<>();
    private final AtomicReference<VirtException> failure = new AtomicReference<>();
    private final KeepaliveMonitor keepalive = new KeepaliveMonitor();
    private volatile boolean closing;
    private volatile Consumer<VirtException> onDeath = e -> {};
    /** What the transport's helper process said, for the message when the connection ends unasked. */
    private volatile Supplier<String> endDetail = () -> "";
    /** The socket as splice(2) sees it, made under the write lock on first use; null until then or if unavailable. */
    private volatile SpliceSocket splice;

    private boolean spliceTried;

    /** The bytes under the connection: a socket as it is, or the plaintext side of a TLS session. */
    record Link(ReadableByteChannel in, GatheringByteChannel out, SocketChannel spliceable, Closeable closer) {
        /** A plain socket: frames on the wire as they are, so stream data can be spliced into it. */
        static Link of(SocketChannel socket) {
            return new Link(socket, socket, socket, socket);
        }

        /** A TLS session: no splicing (the socket carries records, not frames). */
        static Link of(TlsChannel tls) {
            return new Link(tls, tls, null, tls);
        }
    }

    RpcClient(Link link, String name, Consumer<Message> events, RemoteOptions options) {
        this.link = link;
        this.name = name;
        this.events = events;
        this.options = options;
    }

    /** Starts the reader thread; call once, before the first call. */
    void start() {
        Thread.ofVirtual().name("jvirt-remote-reader " + name).start(this::readLoop);
    }

    /** Runs once, on whichever thread notices the connection is gone. */
    void onDeath(Consumer<VirtException> action) {
        this.onDeath = action;
    }

    /** Names where the words of the end-of-file error come from (ssh's stderr); asked on the reader thread. */
    void explainEnd(Supplier<String> detail) {
        this.endDetail = detail;
    }

    /** Calls {@code procedure} of {@code program} and waits for its reply; an error reply is thrown. */
    <A, R> R call(Program program, int procedure, XdrCodec<A> argsCodec, A args, XdrCodec<R> retCodec) {
        return decodeReply(await(send(program, procedure, argsCodec, args, null, null)), retCodec);
    }

    /**
     * Sends a call and returns at once; {@code onReply} (may be null) runs on the reader thread when the reply
     * arrives, before the next message is read. {@code stream}, when set, gets the packets of this call's serial.
     */
    <A> CompletableFuture<Message> send(
            Program program,
            int procedure,
            XdrCodec<A> argsCodec,
            A args,
            Consumer<Message> onReply,
            StreamFactory stream) {
        int serial = serials.getAndIncrement();
        Header header =
                new Header(program.number(), program.version(), procedure, MessageType.CALL, serial, MessageStatus.OK);
        PendingCall call = new PendingCall(procedure, new CompletableFuture<>(), onReply);
        pending.put(serial, call);
        if (stream != null) {
            streams.put(serial, stream.create(header));
        }
        VirtException dead = failure.get();
        if (dead != null) {
            pending.remove(serial);
            streams.remove(serial);
            throw copy(dead);
        }
        write(header, argsCodec, args);
        return call.reply();
    }

    /** The stream a call opened, once its reply came back OK. */
    RemoteStream stream(int serial) {
        return streams.get(serial);
    }

    void forgetStream(int serial) {
        streams.remove(serial);
    }

    /**
     * Writes one message (stream data, keepalive, a call); blocks while the socket is full. A big payload (stream
     * data) goes out behind its frame head in one gathering write, uncopied.
     */
    void write(Message message) {
        if (message.payloadSize() < GATHER_MIN_BYTES) {
            writeFrame(() -> new ByteBuffer[] {encoder.encode(message)});
        } else {
            writeFrame(() -> new ByteBuffer[] {
                encoder.encodeHead(message), message.payload().duplicate()
            });
        }
    }

    /** Whether stream data can be spliced into this connection's socket (see {@link #writeSpliced}). */
    boolean canSplice() {
        writeLock.lock();
        try {
            return spliceSocket() != null;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Writes one packet of {@code payloadBytes} whose payload {@code payload} moves into the socket itself, right
     * behind the head written here, under the write lock (nothing else may reach the socket in between). If the
     * payload cannot be moved whole the frame is broken, so the connection is failed.
     */
    void writeSpliced(Header header, int payloadBytes, SplicedPayload payload) {
        VirtException dead = failure.get();
        if (dead != null) {
            throw copy(dead);
        }
        writeLock.lock();
        try {
            SpliceSocket socket = spliceSocket();
            if (socket == null) {
                throw VirtException.of(ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC, "cannot splice into " + name);
            }
            ByteBuffer head = encoder.encodeHead(header, payloadBytes);
            while (head.hasRemaining()) {
                link.out().write(head);
            }
            payload.moveTo(socket);
        } catch (IOException e) {
            VirtException lost = failure.get() != null ? failure.get() : RemoteErrors.endOfFile(e, endDetail.get());
            fail(lost);
            throw copy(lost);
        } finally {
            writeLock.unlock();
        }
    }

    private SpliceSocket spliceSocket() {
        if (!spliceTried) {
            spliceTried = true;
            splice = link.spliceable() == null
                    ? null
                    : SpliceSocket.of(link.spliceable()).orElse(null);
            if (failure.get() != null && splice != null) {
                splice.close();
                splice = null;
            }
        }
        return splice;
    }

    <A> void write(Header header, XdrCodec<A> codec, A body) {
        writeFrame(() -> new ByteBuffer[] {encoder.encode(header, codec, body)});
    }

    /** Starts client PINGs (the server's are always answered). */
    void startKeepalive(Duration interval, int count) {
        if (interval.isPositive()) {
            keepalive.start(name, interval, count, this::sendPing, this::fail);
        }
    }

    KeepaliveMonitor keepalive() {
        return keepalive;
    }

    RemoteOptions options() {
        return options;
    }

    /** False once the connection is closed or lost. */
    boolean isAlive() {
        return failure.get() == null;
    }

    /** Why the connection ended, if it did. */
    Optional<VirtException> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Marks the coming end of stream as expected (after CONNECT_CLOSE). */
    void expectClose() {
        closing = true;
    }

    @Override
    public void close() {
        closing = true;
        fail(RemoteErrors.socketClosed());
    }

    /** Ends the connection: closes the socket, fails every pending call and stream with {@code cause}. */
    void fail(VirtException cause) {
        if (!failure.compareAndSet(null, cause)) {
            return;
        }
        if (!closing) {
            LOG.log(System.Logger.Level.WARNING, "connection {0} lost: {1}", name, cause.getMessage());
        }
        keepalive.stop();
        SpliceSocket spliced = splice;
        if (spliced != null) {
            spliced.close(); // wakes a writer blocked in splice: the JDK knows nothing of it
        }
        try {
            link.closer().close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing {0}: {1}", name, e.getMessage());
        }
        pending.values().forEach(p -> p.reply().completeExceptionally(cause));
        pending.clear();
        streams.values().forEach(s -> s.fail(cause));
        streams.clear();
        onDeath.accept(cause);
    }

    static <R> R decodeReply(Message reply, XdrCodec<R> retCodec) {
        if (reply.header().status() == MessageStatus.ERROR) {
            throw reply.decode(RemoteError.CODEC).toClientException();
        }
        try {
            return reply.decode(retCodec);
        } catch (XdrException e) {
            throw RemoteErrors.protocol(
                    "cannot decode reply to procedure " + reply.header().procedure() + ": " + e.getMessage(), e);
        }
    }

    /** Waits for a reply; the caller's interrupt abandons the wait (the reply, if it comes, is dropped). */
    static Message await(CompletableFuture<Message> reply) {
        try {
            return reply.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.RPC, "interrupted waiting for a reply");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof VirtException v) {
                throw copy(v);
            }
            throw RemoteErrors.protocol(String.valueOf(e.getCause()), e.getCause());
        }
    }

    /** The same error, thrown afresh so its stack shows the caller. */
    static VirtException copy(VirtException e) {
        return new VirtException(e.code(), e.domain(), e.level(), e.getMessage(), e);
    }

    private void writeFrame(FrameSource source) {
        VirtException dead = failure.get();
        if (dead != null) {
            throw copy(dead);
        }
        writeLock.lock();
        try {
            ByteBuffer[] frame = source.frame();
            ByteBuffer last = frame[frame.length - 1];
            while (last.hasRemaining()) {
                link.out().write(frame);
            }
        } catch (IOException e) {
            VirtException lost = failure.get() != null ? failure.get() : RemoteErrors.endOfFile(e, endDetail.get());
            fail(lost);
            throw copy(lost);
        } catch (XdrException e) {
            throw VirtException.of(ErrorCode.RPC, ErrorDomain.RPC, "cannot encode message: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private void sendPing() {
        try {
            write(Keepalive.ping());
        } catch (VirtException e) {
            LOG.log(System.Logger.Level.DEBUG, "ping on {0} failed: {1}", name, e.getMessage());
        }
    }

    private void readLoop() {
        try {
            while (true) {
                Optional<Message> next = Frames.read(link.in());
                if (next.isEmpty()) {
                    fail(closing ? RemoteErrors.socketClosed() : RemoteErrors.endOfFile(null, endDetail.get()));
                    return;
                }
                keepalive.received();
                dispatch(next.get());
            }
        } catch (EOFException e) {
            // a frame cut short: the peer ended mid-message
            fail(closing ? RemoteErrors.socketClosed() : RemoteErrors.endOfFile(e, endDetail.get()));
        } catch (IOException e) {
            fail(closing ? RemoteErrors.socketClosed() : RemoteErrors.cannotRecv(e, endDetail.get()));
        } catch (XdrException e) {
            fail(RemoteErrors.protocol("malformed message from server: " + e.getMessage(), e));
        } catch (RuntimeException e) {
            fail(RemoteErrors.protocol("reader failed: " + e, e));
        }
    }

    private void dispatch(Message m) {
        Header h = m.header();
        switch (h.type()) {
            case REPLY, REPLY_WITH_FDS -> completeCall(m);
            case MESSAGE -> {
                if (Keepalive.isPing(h)) {
                    // Off the reader thread: a write can block, and the reader must keep draining the socket.
                    Thread.ofVirtual().start(() -> {
                        try {
                            write(Keepalive.pong());
                        } catch (VirtException e) {
                            LOG.log(System.Logger.Level.DEBUG, "pong on {0} failed: {1}", name, e.getMessage());
                        }
                    });
                } else if (!Program.KEEPALIVE.matches(h)) {
                    events.accept(m);
                }
            }
            case STREAM, STREAM_HOLE -> {
                RemoteStream s = streams.get(h.serial());
                if (s != null && s.procedure() == h.procedure()) {
                    s.onPacket(m, keepalive);
                }
            }
            default -> LOG.log(System.Logger.Level.DEBUG, "{0}: ignoring {1} from server", name, h.type());
        }
    }

    private void completeCall(Message m) {
        Header h = m.header();
        PendingCall call = pending.remove(h.serial());
        if (call == null) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: reply for serial {1} nobody waits for", name, h.serial());
            return;
        }
        if (call.procedure() != h.procedure()) {
            call.reply()
                    .completeExceptionally(RemoteErrors.protocol(
                            "reply to serial " + h.serial() + " names procedure " + h.procedure() + ", the call was "
                                    + call.procedure(),
                            null));
            return;
        }
        if (h.status() == MessageStatus.ERROR) {
            streams.remove(h.serial());
        } else if (call.onReply() != null) {
            try {
                call.onReply().accept(m);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "reply hook failed: " + e, e);
            }
        }
        call.reply().complete(m);
    }

    /** Builds a frame (its pieces, in order) under the write lock (the encoder's buffer is shared). */
    @FunctionalInterface
    private interface FrameSource {
        ByteBuffer[] frame();
    }

    /** A packet's payload that moves itself into the socket (stream data spliced from a pipe). */
    @FunctionalInterface
    interface SplicedPayload {
        void moveTo(SpliceSocket socket) throws IOException;
    }

    /** Makes the stream object for a call's header before the call is sent, so no packet can miss it. */
    @FunctionalInterface
    interface StreamFactory {
        RemoteStream create(Header call);
    }
}
