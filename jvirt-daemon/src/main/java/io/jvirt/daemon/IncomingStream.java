package io.jvirt.daemon;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.PipeFeed;
import io.jvirt.nativeio.SpliceSocket;
import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageLimits;
import io.jvirt.rpc.wire.RemoteError;
import io.jvirt.rpc.wire.StreamPackets;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A stream a client opened with a write-stream call (PREPARE_TUNNEL3_PARAMS), seen by the driver as a
 * {@link java.nio.channels.ReadableByteChannel}: the client's data packets in order, then end of stream at its
 * finish. At most {@link #MAX_QUEUED} packets wait; the session's reader then blocks in {@link #onPacket}, which
 * stops reading the client's socket, so TCP slows the sender (libvirt's back-pressure; there is no credit window).
 * Data packets are read into direct buffers this stream lends ({@link #lend}) and takes back once the driver has
 * read them, so a long stream allocates nothing per packet.
 *
 * <p>A driver that only forwards the bytes into a pipe (QEMU's incoming migration) calls {@link #transferTo}
 * instead ({@link PipeFeed}). From then on the session's reader splices each data packet's payload from its socket
 * straight into that pipe, so the bytes never enter the JVM and no thread hands them to another; packets queued
 * before are written first, in order, by the driver's thread, which otherwise only waits for the end.
 *
 * <p>Replies on the stream: the client's finish is confirmed (STREAM/OK) once the driver has read the end, i.e.
 * every byte went where the driver puts them; the client's abort is confirmed at once; if the driver closes the
 * channel before the end, the client gets STREAM/ERROR and its next send fails.
 *
 * <p>Threading: {@link #lend} and {@link #onPacket} run on the session's reader thread (a platform thread),
 * {@link #read} and {@link #transferTo} on the driver's pump thread (a platform thread), {@link #close} on the
 * driver's thread that is done with it; {@link #opened} on the opening call's thread once its reply is out;
 * {@link #sessionClosed} on that call's thread (error reply) or the session's closing thread. All state is under
 * one lock.
 */
final class IncomingStream implements PipeFeed {
    /** Packets held before the reader stops reading the socket (4 × 256 KiB at libvirt's chunk size). */
    static final int MAX_QUEUED = 4;
    /** Size of a lent buffer: libvirt's data packets; a bigger packet (allowed, rare) gets a buffer of its own. */
    static final int LEND_BYTES = MessageLimits.STREAM_CHUNK_MAX;

    private final Header call;
    private final Consumer<Message> reply;
    private final Runnable forget;
    private final Supplier<SpliceSocket> socket;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    /** Lent buffers the driver has read, for the next packets; at most {@link #MAX_QUEUED} + 1 exist. */
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    private State state = State.OPEN;
    /**
     * The opening call's OK reply is out, so packets on the stream may follow it. Not part of {@link State}: the
     * driver may close the stream before the reply (a failed Prepare), whatever the data's state.
     */
    private boolean opened;
    /** What {@link #close} would have sent before {@link #opened}: sent right after the reply. */
    private Message pendingEnd;
    /** The pipe the driver forwards into through {@link #transferTo}, or -1: payloads are then spliced into it. */
    private int feedFd = -1;
    /**
     * The reader is splicing into {@link #feedFd}: the driver must not close that pipe before it is done. Not part
     * of {@link State}: the driver or the session may end the stream while a splice runs, and the splice must still
     * be waited for.
     */
    private boolean splicing;

    private long splicedBytes;
    private long reportedBytes;

    /**
     * Where the stream's data stands. It only moves forward (OPEN, FINISHED, END_READ, then CLOSED; ABORTED from
     * OPEN or FINISHED, then CLOSED); each constant says what moves it there.
     */
    private enum State {
        /** Made by the opening call's handler: data packets are queued (or spliced into the driver's pipe). */
        OPEN,
        /** The client sent its finish (or end of data): no more data; the driver reads what is queued. */
        FINISHED,
        /**
         * The driver has read the end ({@link #read} or {@link #transferTo} returned -1): every byte went where the
         * driver puts it, so its {@link #close} confirms the client's finish. A late abort no longer changes that.
         */
        END_READ,
        /**
         * The client aborted (an abort, error or hole packet), the session ended, the opening call failed, or a
         * splice failed part way: the driver's next read fails; its close sends nothing more.
         */
        ABORTED,
        /** The driver closed the channel ({@link #close}): nothing more is queued or read. */
        CLOSED
    }

    /**
     * @param call   the opening call's header (the stream's identity)
     * @param reply  writes a packet to the client
     * @param forget removes the stream from the session once it is over
     * @param socket the session's socket for splicing, or null where it cannot be had
     */
    IncomingStream(Header call, Consumer<Message> reply, Runnable forget, Supplier<SpliceSocket> socket) {
        this.call = call;
        this.reply = reply;
        this.forget = forget;
        this.socket = socket;
    }

    Header call() {
        return call;
    }

    /**
     * Where the payload of the data packet about to be read goes: once the driver feeds a pipe (see
     * {@link #transferTo}), it is spliced from the socket into that pipe here, on the reader thread, after what is
     * queued has been written, and {@link FrameReader#CONSUMED} comes back; before that, a buffer for it; null when
     * the payload is bigger than {@link #LEND_BYTES} or the stream is over (the packet is then read as any other,
     * and dropped here). Blocks while {@link #MAX_QUEUED} packets wait, or while QEMU's pipe is full, before the
     * packet is read off the socket. Reader thread (a platform thread: the splice blocks in the kernel).
     *
     * @throws IOException if splicing failed part way through the payload (the session's frames are lost)
     */
    ByteBuffer lend(int payloadBytes) throws InterruptedException, IOException {
        int pipeFd;
        lock.lock();
        try {
            if (feedFd < 0 || payloadBytes == 0 || socket.get() == null) {
                return lendBuffer(payloadBytes);
            }
            while (!queue.isEmpty() && state != State.CLOSED && state != State.ABORTED) {
                changed.await();
            }
            if (state != State.OPEN) {
                return null;
            }
            splicing = true;
            pipeFd = feedFd;
        } finally {
            lock.unlock();
        }
        boolean moved = false;
        try {
            socket.get().toPipe(pipeFd, payloadBytes);
            moved = true;
            return FrameReader.CONSUMED;
        } finally {
            lock.lock();
            try {
                splicing = false;
                if (moved) {
                    splicedBytes += payloadBytes;
                } else {
                    abort();
                }
                if (state == State.CLOSED || state == State.ABORTED) {
                    changed.signalAll(); // a driver waiting to close the pipe; otherwise nobody needs waking
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Under the lock. */
    private ByteBuffer lendBuffer(int payloadBytes) throws InterruptedException {
        if (payloadBytes > LEND_BYTES) {
            return null;
        }
        while (queue.size() >= MAX_QUEUED && state != State.CLOSED && state != State.ABORTED) {
            changed.await();
        }
        if (state != State.OPEN) {
            return null;
        }
        ByteBuffer b = free.poll();
        return b != null ? b : ByteBuffer.allocateDirect(LEND_BYTES);
    }

    /**
     * One packet of this stream from the client; blocks while {@link #MAX_QUEUED} packets wait. {@code lent}, when
     * not null, is the buffer {@link #lend} gave for this packet, now holding its payload.
     */
    void onPacket(Message m, ByteBuffer lent) throws InterruptedException {
        onPacket(m, lent == FrameReader.CONSUMED ? null : kindOf(m), lent);
    }

    /** One packet of this stream from the client; blocks while {@link #MAX_QUEUED} packets wait. */
    void onPacket(Message m) throws InterruptedException {
        onPacket(m, kindOf(m), null);
    }

    private static StreamPackets.Kind kindOf(Message m) {
        try {
            return StreamPackets.kind(m);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void onPacket(Message m, StreamPackets.Kind kind, ByteBuffer lent) throws InterruptedException {
        if (kind == null || lent == FrameReader.CONSUMED) {
            return;
        }
        boolean confirmAbort = false;
        lock.lock();
        try {
            switch (kind) {
                case DATA -> {
                    while (queue.size() >= MAX_QUEUED && state != State.CLOSED) {
                        changed.await();
                    }
                    if (state == State.OPEN) {
                        queue.add(lent != null ? lent : m.payload());
                    }
                }
                case FINISH, END_OF_DATA -> {
                    if (state == State.OPEN) {
                        state = State.FINISHED;
                    }
                }
                case ABORT, ERROR, HOLE -> {
                    abort();
                    queue.clear();
                    confirmAbort = kind != StreamPackets.Kind.HOLE;
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (confirmAbort) {
            reply.accept(StreamPackets.finish(call));
            forget.run();
        }
    }

    /** The session ended: the client is gone, so the stream is aborted (a running splice fails: the socket is shut). */
    void sessionClosed() {
        lock.lock();
        try {
            abort();
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: OPEN or FINISHED become ABORTED; an end already read or a closed stream stay as they are. */
    private void abort() {
        if (state == State.OPEN || state == State.FINISHED) {
            state = State.ABORTED;
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        lock.lock();
        try {
            while (queue.isEmpty() && state == State.OPEN) {
                changed.await();
            }
            if (state == State.CLOSED) {
                throw new AsynchronousCloseException();
            }
            if (state == State.ABORTED) {
                throw new IOException("the migration stream was aborted by its sender");
            }
            int total = 0;
            while (dst.hasRemaining() && !queue.isEmpty()) {
                ByteBuffer head = queue.peek();
                int n = Math.min(head.remaining(), dst.remaining());
                dst.put(dst.position(), head, head.position(), n);
                dst.position(dst.position() + n);
                head.position(head.position() + n);
                total += n;
                if (!head.hasRemaining()) {
                    recycle(queue.poll());
                }
            }
            changed.signalAll();
            if (total == 0 && (state == State.FINISHED || state == State.END_READ)) {
                state = State.END_READ;
                return -1;
            }
            return total;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted reading a migration stream");
        } finally {
            lock.unlock();
        }
    }

    /** Whether the driver has started taking the bytes through {@link #transferTo} (tests). */
    boolean isFeeding() {
        lock.lock();
        try {
            return feedFd >= 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the next queued packet into {@code pipeFd}, or waits while the reader splices later packets into it
     * (it is not woken per packet); returns the bytes moved since the last call, -1 at the end. Returns (or
     * throws) only when no splice into the pipe runs, so the caller may close it then.
     */
    @Override
    public long transferTo(int pipeFd) throws IOException {
        ByteBuffer head;
        lock.lock();
        try {
            feedFd = pipeFd;
            while (queue.isEmpty() && state == State.OPEN || splicing) {
                changed.await();
            }
            head = queue.peek();
            if (head == null) {
                if (splicedBytes > reportedBytes) {
                    long n = splicedBytes - reportedBytes;
                    reportedBytes = splicedBytes;
                    return n;
                }
                if (state == State.CLOSED) {
                    throw new AsynchronousCloseException();
                }
                if (state == State.ABORTED) {
                    throw new IOException("the migration stream was aborted by its sender");
                }
                state = State.END_READ;
                return -1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted reading a migration stream");
        } finally {
            lock.unlock();
        }
        return writeQueued(head, pipeFd);
    }

    private long writeQueued(ByteBuffer head, int pipeFd) throws IOException {
        int n = head.remaining();
        if (head.isDirect()) {
            NativeFds.write(pipeFd, MemorySegment.ofBuffer(head), n);
        } else {
            byte[] bytes = new byte[n];
            head.duplicate().get(bytes);
            NativeFds.write(pipeFd, bytes, 0, n);
        }
        lock.lock();
        try {
            recycle(queue.poll());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return n;
    }

    private void recycle(ByteBuffer done) {
        if (done.isDirect() && !done.isReadOnly() && done.capacity() == LEND_BYTES && free.size() <= MAX_QUEUED) {
            free.add(done.clear());
        }
    }

    @Override
    public boolean isOpen() {
        lock.lock();
        try {
            return state != State.CLOSED;
        } finally {
            lock.unlock();
        }
    }

    /** The driver is done: confirms the client's finish if it read the end, else fails the stream. Idempotent. */
    @Override
    public void close() {
        boolean wasAborted;
        boolean complete;
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            wasAborted = state == State.ABORTED;
            complete = state == State.END_READ;
            state = State.CLOSED;
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Message end = null;
        if (complete) {
            end = StreamPackets.finish(call);
        } else if (!wasAborted) {
            end = StreamPackets.error(
                    call,
                    RemoteError.from(VirtException.of(
                            ErrorCode.OPERATION_FAILED,
                            ErrorDomain.STREAMS,
                            "the destination stopped reading the migration stream")));
        }
        lock.lock();
        try {
            if (!opened) {
                // The call's reply is not out yet: the client must see it first (or, if it fails, no stream at all).
                pendingEnd = end;
                return;
            }
        } finally {
            lock.unlock();
        }
        if (end != null) {
            reply.accept(end);
        }
        forget.run();
    }

    /**
     * For the answers a two-way stream sends back ({@link StreamReplies}): waits until the opening call's OK reply
     * is out; false when the stream is over (aborted, refused, or closed by the driver) before or meanwhile.
     */
    boolean awaitOpened() throws InterruptedException {
        lock.lock();
        try {
            while (!opened && state != State.ABORTED && state != State.CLOSED) {
                changed.await();
            }
            return opened && state != State.ABORTED && state != State.CLOSED;
        } finally {
            lock.unlock();
        }
    }

    /** The opening call's OK reply went out; packets may follow it now. */
    void opened() {
        Message end;
        boolean wasClosed;
        lock.lock();
        try {
            opened = true;
            changed.signalAll();
            end = pendingEnd;
            wasClosed = state == State.CLOSED;
        } finally {
            lock.unlock();
        }
        if (wasClosed) {
            if (end != null) {
                reply.accept(end);
            }
            forget.run();
        }
    }
}
