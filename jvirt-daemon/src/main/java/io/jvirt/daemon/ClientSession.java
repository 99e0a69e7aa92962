package io.jvirt.daemon;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainEvent;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.daemon.observe.CallObserver;
import io.jvirt.rpc.wire.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client connection: puts its parts together, gives handlers what they may use of it, and ends it. The parts,
 * each with one job: the {@link Transport} (the connection's bytes), a {@link FrameSender} (frames out, one at a
 * time), a {@link SessionReader} (frames in), a {@link CallDispatcher} (calls to replies, with the errors mapped),
 * {@link CallSlots} (the per-client call bound), a {@link ClientKeepalive}, an {@link EventSender}, a
 * {@link StreamRegistry} (incoming streams), a {@link ConnectState} (what CONNECT_OPEN set) and
 * {@link IncomingMigrations} (what to destroy if the client vanishes mid-migration).
 *
 * <p>Threading: {@link #serve} runs on the session's reader thread, a platform thread {@link Daemon} starts per
 * client (see {@link SessionReader}); the handler-facing methods run on call threads; {@link #deliver} on the
 * driver's event thread; {@link #close} on whichever thread ends the session first (the reader at end of input, a
 * call thread for CONNECT_CLOSE, the keepalive thread, a failed write, or the daemon's close).
 */
public final class ClientSession {
    private static final System.Logger LOG = System.getLogger(ClientSession.class.getName());

    private final long id;
    private final Transport transport;
    private final DaemonContext ctx;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ConnectState connect;
    private final ClientEvents events;
    private final FrameSender sender;
    private final EventSender eventSender;
    private final ClientKeepalive keepalive;
    private final StreamRegistry streams;
    private final IncomingMigrations incoming;
    private final SessionReader reader;

    /**
     * @param readOnlySocket whether the client came in on the read-only socket
     * @param onClose        runs once when the session ends, on whichever thread ends it
     */
    ClientSession(long id, Transport transport, boolean readOnlySocket, DaemonContext ctx, Runnable onClose) {
        this.id = id;
        this.transport = transport;
        this.ctx = ctx;
        this.onClose = onClose;
        this.connect = new ConnectState(readOnlySocket);
        this.events = new ClientEvents(ctx.fanout()::ensureListening);
        this.sender = new FrameSender(id, transport.out(), closed::get, this::close, stallLimit(ctx));
        this.eventSender = new EventSender(id, sender::send, this::close);
        this.keepalive =
                new ClientKeepalive(id, ctx.keepaliveInterval(), ctx.keepaliveCount(), sender::send, this::close);
        this.streams = new StreamRegistry(sender::send, transport::spliceSocket);
        this.incoming = new IncomingMigrations(id, ctx.driver());
        CallDispatcher calls =
                new CallDispatcher(this, ctx.table(), connect, new CallSlots(ctx.maxClientRequests()), sender, streams);
        this.reader = new SessionReader(id, transport.in(), closed::get, keepalive, streams, calls);
    }

    /**
     * How long a frame may wait for the one before it to be written: as long as keepalive gives a silent client
     * (interval × (count + 1)), so a client that stops reading is dropped when libvirtd would drop it; none without
     * keepalive.
     */
    static Duration stallLimit(DaemonContext ctx) {
        if (ctx.keepaliveInterval() <= 0) {
            return null;
        }
        return Duration.ofSeconds((long) ctx.keepaliveInterval() * (ctx.keepaliveCount() + 1L));
    }

    public long id() {
        return id;
    }

    /** Reads and dispatches until the client goes away or breaks the protocol; then closes. Reader thread. */
    public void serve() {
        try {
            reader.run();
        } finally {
            close();
        }
    }

    /**
     * Marks {@code domainName} as arriving through this session (an incoming migration this client prepared): if the
     * session ends while the domain still waits for its Finish, it is destroyed (see {@link IncomingMigrations}).
     */
    void destroyOnCloseWhileIncoming(String domainName) {
        incoming.add(domainName);
    }

    Connection driver() {
        return ctx.driver();
    }

    /** Who hears this client's calls (metrics, the migration log). */
    CallObserver calls() {
        return ctx.calls();
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
        return connect.uri();
    }

    boolean isSecure() {
        return transport.isSecure();
    }

    boolean isReadOnly() {
        return connect.isReadOnly();
    }

    /** CONNECT_OPEN: see {@link ConnectState#open}. */
    void open(String name, int flags) {
        connect.open(name, flags);
    }

    /** CONNECT_CLOSE: the connection ends once the reply is written. */
    void closeAfterReply() {
        connect.closeAfterReply();
    }

    /**
     * Opens the data stream of the call this thread serves (a write-stream procedure's handler calls it before
     * handing the stream to the driver). Packets reach it only after the call's OK reply; an error reply drops it.
     */
    IncomingStream openStream() {
        return streams.open(CallDispatcher.currentCall());
    }

    /** The way back on {@code stream}: what the driver writes goes to the client as that stream's data. */
    StreamReplies repliesOn(IncomingStream stream) {
        return new StreamReplies(stream, sender::send);
    }

    /** Starts our PINGs (CONNECT_SUPPORTS_FEATURE(PROGRAM_KEEPALIVE) does, as in libvirtd); once per client. */
    void startKeepalive() {
        keepalive.start();
    }

    /** Called on the driver's event thread: queues this client's frames for the event, if it registered. */
    void deliver(DomainEvent event) {
        List<Message> frames = events.messagesFor(event);
        if (!closed.get()) {
            eventSender.queue(frames);
        }
    }

    /**
     * Ends the session: stops keepalive and event delivery, aborts the incoming streams, closes the transport, then
     * destroys what was still migrating in through it. Idempotent.
     */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        keepalive.stop();
        eventSender.stop();
        streams.closeAll();
        try {
            transport.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "client {0}: close: {1}", id, e.toString());
        }
        incoming.destroyStillIncoming();
        onClose.run();
    }

    public boolean isClosed() {
        return closed.get();
    }
}
