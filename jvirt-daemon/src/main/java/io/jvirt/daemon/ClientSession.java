package io.jvirt.daemon;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainEvent;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.nativeio.SpliceSocket;
import io.jvirt.rpc.proto.RemoteProcedures;
import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Keepalive;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageEncoder;
import io.jvirt.rpc.wire.MessageStatus;
import io.jvirt.rpc.wire.MessageType;
import io.jvirt.rpc.wire.Program;
import io.jvirt.rpc.wire.RemoteError;
import io.jvirt.rpc.xdr.XdrException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client connection. {@link #serve()} runs the reader on the connection's virtual thread: keepalive PINGs are
 * answered there, each CALL runs on a virtual thread of its own (at most {@code max_client_requests} at once; the
 * reader waits for a free slot, which stops reading the socket as libvirtd does), so a slow save or migration never
 * holds up keepalive, job queries or abort. Replies, events and PINGs are written under one write lock. Events are
 * sent from a single event thread per client, in the order the driver emitted them.
 */
public final class ClientSession {
    private static final System.Logger LOG = System.getLogger(ClientSession.class.getName());
    private static final String DEFAULT_URI = "qemu:///system";
    private static final int OPEN_READ_ONLY = 1;

    private final long id;
    private final ReadableByteChannel in;
    private final WritableByteChannel out;
    private final Closeable transport;
    private final boolean readOnlySocket;
    private final boolean secure;
    private final DaemonContext ctx;
    private final Runnable onClose;
    private final ClientEvents events;
    private final Semaphore callSlots;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final MessageEncoder encoder = new MessageEncoder();
    private final ExecutorService eventThread = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("jvirtd-events-", 0).factory());
    private final AtomicBoolean closed = new AtomicBoolean();
    private final java.util.Set<String> incoming = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final AtomicBoolean opened = new AtomicBoolean();
    private final AtomicBoolean keepaliveStarted = new AtomicBoolean();
    private final AtomicInteger unansweredPings = new AtomicInteger();
    private volatile long lastReceivedNanos = System.nanoTime();
    private volatile boolean readOnlyOpen;
    private volatile String uri = DEFAULT_URI;
    /** The call a handler serves, so a stream-opening handler can name its stream. */
    private static final ScopedValue<Header> CURRENT_CALL = ScopedValue.newInstance();
    private final Map<Integer, IncomingStream> streams = new ConcurrentHashMap<>();
    private final Object spliceLock = new Object();
    private boolean spliceTried;
    private SpliceSocket splice;
    /** The buffer the packet being read was lent (reader thread only). */
    private ByteBuffer lent;

    /**
     * @param transport closes the connection (and so ends a read blocked on {@code in})
     * @param onClose   runs once when the session ends, on whichever thread ends it
     */
    public ClientSession(long id, ReadableByteChannel in, WritableByteChannel out, Closeable transport,
                         boolean readOnlySocket, boolean secure, DaemonContext ctx, Runnable onClose) {
        this.id = id;
        this.in = in;
        this.out = out;
        this.transport = transport;
        this.readOnlySocket = readOnlySocket;
        this.secure = secure;
        this.ctx = ctx;
        this.onClose = onClose;
        this.events = new ClientEvents(ctx.fanout()::ensureListening);
        this.callSlots = new Semaphore(ctx.maxClientRequests());
    }

    public long id() {
        return id;
    }

    /**
     * Marks {@code domainName} as arriving through this session (an incoming migration this client prepared): if the
     * session ends while the domain still waits for its Finish (paused, migration), it is destroyed, as libvirt's
     * autodestroy does, so a source that vanished leaves no half-arrived guest behind.
     */
    void destroyOnCloseWhileIncoming(String domainName) {
        incoming.add(domainName);
    }

    Connection driver() {
        return ctx.driver();
    }

    /**
     * Refuses a migration v3 procedure when the daemon poses as one without v3 (the interop/testing switch
     * {@code interop_migration_v2_only}), with the error libvirt gives for a call its driver lacks.
     */
    void requireMigrationV3(String api) {
        if (!ctx.migrationV3()) {
            throw VirtException.of(ErrorCode.NO_SUPPORT, ErrorDomain.NONE, api);
        }
    }

    /** Whether MIGRATION_V3 and MIGRATION_PARAMS are announced (see {@link #requireMigrationV3}). */
    boolean servesMigrationV3() {
        return ctx.migrationV3();
    }

    ClientEvents events() {
        return events;
    }

    String uri() {
        return uri;
    }

    boolean isSecure() {
        return secure;
    }

    boolean isReadOnly() {
        return readOnlySocket || readOnlyOpen;
    }

    /** CONNECT_OPEN: only QEMU URIs; flag bit 0 makes the connection read-only. */
    void open(String name, int flags) {
        if (name != null && !name.isEmpty() && !name.startsWith("qemu")) {
            throw VirtException.of(ErrorCode.NO_CONNECT, ErrorDomain.REMOTE, name);
        }
        if (!opened.compareAndSet(false, true)) {
            throw VirtException.of(ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC, "connection already open");
        }
        readOnlyOpen = (flags & OPEN_READ_ONLY) != 0;
        if (name != null && !name.isEmpty()) {
            uri = name;
        }
    }

    private volatile boolean closeAfterReply;

    /** CONNECT_CLOSE: the connection ends once the reply is written. */
    void closeAfterReply() {
        closeAfterReply = true;
    }

    /** Reads and dispatches until the client goes away or breaks the protocol; then closes. */
    public void serve() {
        FrameReader frames = new FrameReader(in);
        try {
            while (!closed.get()) {
                lent = null;
                Optional<Message> m = frames.next(this::lend);
                if (m.isEmpty()) {
                    break;
                }
                lastReceivedNanos = System.nanoTime();
                unansweredPings.set(0);
                dispatch(m.get());
            }
        } catch (XdrException e) {
            LOG.log(System.Logger.Level.INFO, "client {0}: protocol error, closing: {1}", id, e.getMessage());
        } catch (IOException e) {
            if (!closed.get()) {
                LOG.log(System.Logger.Level.DEBUG, "client {0}: read failed: {1}", id, e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    /**
     * The client's socket for splicing stream data out of it, made on first use and closed with the session; null
     * when the transport is not a JDK socket or the JVM hides its descriptor.
     */
    private SpliceSocket spliceSocket() {
        synchronized (spliceLock) {
            if (!spliceTried) {
                spliceTried = true;
                if (in instanceof SocketChannel sc && !closed.get()) {
                    splice = SpliceSocket.of(sc).orElse(null);
                }
            }
            return splice;
        }
    }

    /** A data packet of an open incoming stream is read into a buffer that stream lends (and gets it back). */
    private ByteBuffer lend(Header h, int payloadBytes) throws InterruptedException, IOException {
        if (h.type() != MessageType.STREAM || h.status() != MessageStatus.CONTINUE) {
            return null;
        }
        IncomingStream s = streamOf(h);
        ByteBuffer b = s == null ? null : s.lend(payloadBytes);
        lent = b;
        return b;
    }

    private IncomingStream streamOf(Header h) {
        IncomingStream s = streams.get(h.serial());
        return s != null && s.call().procedure() == h.procedure() && s.call().program() == h.program() ? s : null;
    }

    private void dispatch(Message m) throws InterruptedException {
        Header h = m.header();
        if (Program.KEEPALIVE.matches(h)) {
            if (Keepalive.isPing(h)) {
                send(Keepalive.pong());
            }
            return;
        }
        if (h.type() == MessageType.CALL_WITH_FDS) {
            sendError(h, RemoteError.rpc("jvirtd does not accept file descriptors"));
            return;
        }
        if (h.type() == MessageType.STREAM || h.type() == MessageType.STREAM_HOLE) {
            ByteBuffer payloadBuffer = lent;
            lent = null;
            IncomingStream s = streamOf(h);
            if (s != null) {
                s.onPacket(m, payloadBuffer);
                lastReceivedNanos = System.nanoTime();
            }
            return; // packets of streams that no longer exist are dropped, as libvirtd drops them
        }
        if (h.type() != MessageType.CALL) {
            return; // stray replies and events are dropped, as libvirtd drops them
        }
        boolean jvirt = Program.JVIRT.matches(h);
        if (!Program.REMOTE.matches(h) && !jvirt) {
            boolean served = Program.QEMU.matches(h) || Program.LXC.matches(h);
            LOG.log(System.Logger.Level.INFO, "client {0}: call to program {1} procedure {2} not served", id,
                    Integer.toHexString(h.program()), h.procedure());
            sendError(h, served ? RemoteError.unknownProcedure(h.procedure())
                    : RemoteError.unknownProgram(h.program(), h.version()));
            return;
        }
        if (h.status() != MessageStatus.OK) {
            sendError(h, RemoteError.rpc("Unexpected message status " + h.status().wire()));
            return;
        }
        Optional<Route<?, ?>> route = jvirt ? ctx.table().jvirtRoute(h.procedure()) : ctx.table().route(h.procedure());
        if (route.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "client {0}: unknown procedure {1}", id, h.procedure());
            sendError(h, RemoteError.unknownProcedure(h.procedure()));
            return;
        }
        Route<?, ?> r = route.get();
        if (isReadOnly() && !r.readOnlySafe()) {
            sendError(h, RemoteError.from(readOnlyRefusal(r)));
            return;
        }
        callSlots.acquire();
        try {
            Thread.ofVirtual().name("jvirtd-call-" + id + "-" + h.serial()).start(() -> runCall(r, m));
        } catch (RuntimeException e) {
            callSlots.release();
            throw e;
        }
    }

    private void runCall(Route<?, ?> route, Message call) {
        CallLog log = new CallLog(id, route.procedure().name());
        Header h = call.header();
        try {
            Message reply;
            try {
                reply = ScopedValue.where(CURRENT_CALL, h).call(() -> route.run(this, call, log));
                log.ok();
            } catch (VirtException e) {
                log.error(e.code().wire());
                reply = errorMessage(h, RemoteError.from(e));
            } catch (XdrException e) {
                log.error(ErrorCode.RPC.wire());
                reply = errorMessage(h, RemoteError.rpc("Unable to handle " + route.procedure().name() + ": "
                        + e.getMessage()));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "client " + id + " " + route.procedure().name() + " failed", e);
                log.error(ErrorCode.INTERNAL_ERROR.wire());
                reply = errorMessage(h, RemoteError.from(VirtException.of(ErrorCode.INTERNAL_ERROR,
                        ErrorDomain.REMOTE, String.valueOf(e.getMessage()), e)));
            }
            send(reply);
            IncomingStream stream = streams.get(h.serial());
            if (stream != null && stream.call().equals(h)) {
                if (reply.header().status() == MessageStatus.OK) {
                    stream.opened();
                } else {
                    streams.remove(h.serial(), stream);
                    stream.sessionClosed();
                }
            }
            if (closeAfterReply && h.procedure() == RemoteProcedures.CONNECT_CLOSE.number()) {
                close();
            }
        } finally {
            callSlots.release();
        }
    }

    /** libvirt's wording: "operation forbidden: read only access prevents virDomainCreate". */
    static VirtException readOnlyRefusal(Route<?, ?> route) {
        return VirtException.of(ErrorCode.OPERATION_DENIED, ErrorDomain.REMOTE,
                "read only access prevents " + apiName(route.procedure().name()));
    }

    /** DOMAIN_CREATE_WITH_FLAGS to virDomainCreateWithFlags: the public API a procedure serves. */
    static String apiName(String procedure) {
        StringBuilder b = new StringBuilder("vir");
        for (String part : procedure.split("_")) {
            b.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return b.toString().replace("Xml", "XML");
    }

    /**
     * Opens the data stream of the call this thread serves (a write-stream procedure's handler calls it before
     * handing the stream to the driver). Packets reach it only after the call's OK reply; an error reply drops it.
     */
    IncomingStream openStream() {
        Header call = CURRENT_CALL.get();
        IncomingStream[] made = new IncomingStream[1];
        made[0] = new IncomingStream(call, this::send, () -> streams.remove(call.serial(), made[0]),
                this::spliceSocket);
        if (streams.putIfAbsent(call.serial(), made[0]) != null) {
            throw VirtException.of(ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC,
                    "a stream with serial " + call.serial() + " is already open");
        }
        return made[0];
    }

    /** Starts our PINGs (CONNECT_SUPPORTS_FEATURE(PROGRAM_KEEPALIVE) does, as in libvirtd); once per client. */
    void startKeepalive() {
        if (ctx.keepaliveInterval() <= 0 || !keepaliveStarted.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("jvirtd-keepalive-" + id).start(this::keepaliveLoop);
    }

    private void keepaliveLoop() {
        long intervalNanos = TimeUnit.SECONDS.toNanos(ctx.keepaliveInterval());
        try {
            while (!closedLatch.await(ctx.keepaliveInterval(), TimeUnit.SECONDS)) {
                if (System.nanoTime() - lastReceivedNanos < intervalNanos) {
                    continue;
                }
                if (unansweredPings.get() >= ctx.keepaliveCount()) {
                    LOG.log(System.Logger.Level.INFO, "client {0}: no answer to {1} keepalive PINGs, closing", id,
                            ctx.keepaliveCount());
                    close();
                    return;
                }
                unansweredPings.incrementAndGet();
                send(Keepalive.ping());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Called on the driver's event thread: queues this client's frames for the event, if it registered. */
    void deliver(DomainEvent event) {
        List<Message> frames = events.messagesFor(event);
        if (frames.isEmpty() || closed.get()) {
            return;
        }
        try {
            eventThread.execute(() -> frames.forEach(this::send));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing meanwhile: the client is gone, and so are its events
        }
    }

    private void sendError(Header call, RemoteError error) {
        send(errorMessage(call, error));
    }

    private static Message errorMessage(Header call, RemoteError error) {
        return Message.of(call.reply(MessageStatus.ERROR), RemoteError.CODEC, error);
    }

    /** Writes one frame; a failed write ends the session. */
    void send(Message m) {
        writeLock.lock();
        try {
            if (closed.get()) {
                return;
            }
            ByteBuffer frame = encoder.encode(m);
            while (frame.hasRemaining()) {
                out.write(frame);
            }
        } catch (IOException | XdrException e) {
            LOG.log(System.Logger.Level.DEBUG, "client {0}: write failed: {1}", id, e.toString());
            close();
        } finally {
            writeLock.unlock();
        }
    }

    /** Ends the session: closes the transport, stops keepalive and event delivery. Idempotent. */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closedLatch.countDown();
        eventThread.shutdownNow();
        streams.values().forEach(IncomingStream::sessionClosed);
        streams.clear();
        synchronized (spliceLock) {
            spliceTried = true;
            if (splice != null) {
                splice.close();
            }
        }
        try {
            transport.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "client {0}: close: {1}", id, e.toString());
        }
        incoming.forEach(this::destroyIfStillIncoming);
        onClose.run();
    }

    private void destroyIfStillIncoming(String name) {
        try {
            io.jvirt.api.DomainRef dom = ctx.driver().lookupByName(name);
            if (ctx.driver().state(dom).reason() == io.jvirt.api.StateReason.PAUSED_MIGRATION) {
                LOG.log(System.Logger.Level.INFO, "client {0} went away during the incoming migration of {1}; "
                        + "destroying it", id, name);
                ctx.driver().destroy(dom, 0);
            }
        } catch (io.jvirt.api.VirtException e) {
            // already gone, finished, or torn down by Finish: nothing to clean up
        }
    }

    public boolean isClosed() {
        return closed.get();
    }
}
