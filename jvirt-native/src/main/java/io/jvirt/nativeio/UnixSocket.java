package io.jvirt.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connected AF_UNIX stream socket that can pass file descriptors (SCM_RIGHTS), which JDK sockets cannot.
 *
 * <p>Threading: one thread may read while another writes; concurrent readers (or writers) are serialised.
 * Reads and writes block in the kernel and pin a virtual thread's carrier, so run read loops on platform
 * threads. {@link #close()} may be called from any thread at any time: it shuts the socket down first, so
 * a thread blocked in {@code read}/{@code recv} wakes up with end of stream, and the fd number is released only
 * after that call has returned.
 */
public final class UnixSocket implements AutoCloseable {
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final FdHandle handle;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final MemorySegment readBuffer = Arena.ofAuto().allocate(READ_BUFFER_BYTES);
    private final MemorySegment readControl =
            Arena.ofAuto().allocate(SocketStructs.cmsgSpace(SocketStructs.MAX_FDS), 8);

    UnixSocket(int fd) {
        this.handle = new FdHandle(fd, "unix socket");
    }

    /** Connects to the listening socket at {@code path}. */
    public static UnixSocket connect(Path path) throws NativeIOException {
        return new UnixSocket(connectedFd(path, Libc.SOCK_STREAM));
    }

    /** A close-on-exec AF_UNIX socket of {@code type} connected to {@code path}; the caller owns the fd. */
    static int connectedFd(Path path, int type) throws NativeIOException {
        int fd = Libc.socket(Libc.AF_UNIX, type | Libc.SOCK_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = SocketStructs.unixAddress(arena, path);
            Libc.connect(fd, address, (int) address.byteSize());
            return fd;
        } catch (NativeIOException e) {
            NativeFds.closeQuietly(fd);
            throw new NativeIOException(e.call(), e.errno(), e.getMessage() + " [" + path + "]");
        }
    }

    /** A connected pair, as socketpair(2) makes: handy for tests and for handing one end to a child. */
    public static SocketPair pair() throws NativeIOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0, fds);
            return new SocketPair(
                    new UnixSocket(fds.getAtIndex(JAVA_INT, 0)), new UnixSocket(fds.getAtIndex(JAVA_INT, 1)));
        }
    }

    /**
     * Reads up to {@code len} bytes; returns -1 at end of stream (also after {@link #close()} from another thread).
     * Any fds that arrive are closed, since a caller of read has said it expects none.
     */
    public int read(byte[] b, int off, int len) throws NativeIOException {
        ReceivedData data = recv(b, off, len);
        data.fds().forEach(NativeFds::closeQuietly);
        return data.bytes();
    }

    /** Reads up to {@code len} bytes and whatever fds came with them; the caller owns the returned fds. */
    public ReceivedData recv(byte[] b, int off, int len) throws NativeIOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return new ReceivedData(0, List.of());
        }
        readLock.lock();
        try {
            int fd = handle.acquire();
            try (Arena arena = Arena.ofConfined()) {
                long want = Math.min(len, readBuffer.byteSize());
                MemorySegment msg = SocketStructs.message(arena, readBuffer, want, readControl);
                long n = Libc.recvmsg(fd, msg, Libc.MSG_CMSG_CLOEXEC);
                List<Integer> fds = SocketStructs.receivedFds(msg, readControl);
                if ((SocketStructs.flags(msg) & Libc.MSG_CTRUNC) != 0) {
                    fds.forEach(NativeFds::closeQuietly);
                    throw new NativeIOException("recvmsg", 0, "control data truncated: passed fds were lost");
                }
                if (n > 0) {
                    MemorySegment.copy(readBuffer, JAVA_BYTE, 0, b, off, (int) n);
                }
                return new ReceivedData(n == 0 ? -1 : (int) n, fds);
            } finally {
                handle.release();
            }
        } catch (NativeIOException e) {
            if (e.errno() == Libc.EBADF && handle.isClosed()) {
                return new ReceivedData(-1, List.of());
            }
            throw e;
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Writes all of {@code b[off..off+len)}; {@code fds} (if any) travel as one SCM_RIGHTS message with the
     * first sendmsg, so the peer receives them with the first byte. The fds stay owned by the caller.
     * Uses MSG_NOSIGNAL: a vanished peer is an EPIPE error, never a signal.
     */
    public void write(byte[] b, int off, int len, int... fds) throws NativeIOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0 && fds.length > 0) {
            throw new IllegalArgumentException("fds need at least one data byte to travel with");
        }
        writeLock.lock();
        try (Arena arena = Arena.ofConfined()) {
            int fd = handle.acquire();
            try {
                MemorySegment data = arena.allocate(Math.max(len, 1));
                MemorySegment.copy(b, off, data, JAVA_BYTE, 0, len);
                MemorySegment control = fds.length > 0 ? SocketStructs.rights(arena, fds) : null;
                long done = 0;
                while (done < len) {
                    MemorySegment msg =
                            SocketStructs.message(arena, data.asSlice(done), len - done, done == 0 ? control : null);
                    done += Libc.sendmsg(fd, msg, Libc.MSG_NOSIGNAL);
                }
            } finally {
                handle.release();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Blocks until bytes can be read or the peer has finished sending; how many wait now, 0 meaning the end. For a
     * sender that then moves an exact number with {@link #spliceToPipe}.
     */
    public int awaitBytes() throws NativeIOException {
        int fd = handle.acquire();
        try {
            return PipeWait.awaitBytes(fd);
        } finally {
            handle.release();
        }
    }

    /**
     * Moves exactly {@code length} bytes from this socket into {@code pipeFd} with splice(2), blocking while they
     * have not all arrived or the pipe is full; bytes never enter the JVM.
     */
    public void spliceToPipe(int pipeFd, long length) throws IOException {
        readLock.lock();
        try {
            int fd = handle.acquire();
            try {
                spliceExactly(fd, pipeFd, length, "the socket ended %d bytes short");
            } finally {
                handle.release();
            }
        } finally {
            readLock.unlock();
        }
    }

    /** Moves exactly {@code length} bytes from {@code pipeFd} (which will hold them) into this socket. */
    public void spliceFromPipe(int pipeFd, long length) throws IOException {
        writeLock.lock();
        try {
            int fd = handle.acquire();
            try {
                spliceExactly(pipeFd, fd, length, "the pipe ended %d bytes short");
            } finally {
                handle.release();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Both ends are blocking here, so splice(2) waits in the kernel and never reports EAGAIN. */
    private void spliceExactly(int in, int out, long length, String shortBy) throws IOException {
        long done = 0;
        while (done < length) {
            long n = Libc.splice(in, out, length - done, Libc.SPLICE_F_MOVE);
            if (n == 0 || (n < 0 && handle.isClosed())) {
                throw handle.isClosed()
                        ? NativeIOException.closed("unix socket")
                        : new EOFException(String.format(shortBy, length - done));
            }
            if (n > 0) {
                done += n;
            }
        }
    }

    /** Half-closes the reading side: a blocked or later read returns end of stream. */
    public void shutdownInput() throws NativeIOException {
        shutdown(Libc.SHUT_RD);
    }

    /** Half-closes the writing side: the peer reads end of stream once it has drained what was sent. */
    public void shutdownOutput() throws NativeIOException {
        shutdown(Libc.SHUT_WR);
    }

    private void shutdown(int how) throws NativeIOException {
        int fd = handle.acquire();
        try {
            Libc.shutdown(fd, how);
        } finally {
            handle.release();
        }
    }

    /** Idempotent and thread safe; wakes any thread blocked reading this socket. */
    @Override
    public void close() {
        handle.close(UnixSocket::shutdownQuietly);
    }

    static void shutdownQuietly(int fd) {
        try {
            Libc.shutdown(fd, Libc.SHUT_RDWR);
        } catch (NativeIOException ignored) {
            // ENOTCONN when the peer already went away: nothing is blocked then anyway.
        }
    }

    public boolean isClosed() {
        return handle.isClosed();
    }

    /** The raw descriptor, valid until {@link #close()}; for passing on, never for closing. */
    public int fd() {
        return handle.fd();
    }
}
