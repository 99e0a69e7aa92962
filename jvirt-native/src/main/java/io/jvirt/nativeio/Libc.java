package io.jvirt.nativeio;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc functions jvirt calls, bound once through the native linker with errno captured per call.
 * Layouts and constants are for LP64 Linux (x86_64, aarch64) with glibc. Every call made here may block
 * its thread in the kernel; a virtual thread stays pinned to its carrier for that time.
 */
@SuppressWarnings("restricted") // binding libc is what this class is for; the launcher enables native access
final class Libc {
    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int O_CLOEXEC = 0x80000;
    static final int O_RDWR = 2;
    static final int SOL_SOCKET = 1;
    static final int SCM_RIGHTS = 1;
    static final int MSG_CTRUNC = 0x8;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int MSG_CMSG_CLOEXEC = 0x40000000;
    static final int SHUT_RD = 0;
    static final int SHUT_WR = 1;
    static final int SHUT_RDWR = 2;
    static final int F_DUPFD_CLOEXEC = 1030;
    static final int F_SETPIPE_SZ = 1031;
    static final int F_GETPIPE_SZ = 1032;
    static final int SPLICE_F_MOVE = 1;
    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;
    static final long FIONREAD = 0x541B;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EBADF = 9;
    static final int ENOTCONN = 107;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(groupElement("errno"));
    /**
     * Each thread's scratch for errno and small out-arguments, made once: a tunnel makes several calls per packet,
     * and an arena per call costs more than the call (and keeps the JIT busy longer).
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** errno capture plus room for one pollfd or int. */
    private record Scratch(MemorySegment state, MemorySegment word) {
        Scratch() {
            this(Arena.ofAuto().allocate(CALL_STATE), Arena.ofAuto().allocate(8, 8));
        }
    }

    private static final MethodHandle SOCKET =
            bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SOCKETPAIR =
            bind("socketpair", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle CONNECT =
            bind("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = bind("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT4 =
            bind("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDMSG =
            bind("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG =
            bind("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle READ =
            bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE =
            bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SHUTDOWN = bind("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle PIPE2 = bind("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    // fcntl is variadic: the third argument must be passed as a variadic int, or the ABI may differ.
    private static final MethodHandle FCNTL = LINKER.downcallHandle(
            LINKER.defaultLookup().find("fcntl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle SPLICE =
            bind("splice", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle POLL =
            bind("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    // ioctl is variadic too: its argument (here a pointer) follows the request.
    private static final MethodHandle IOCTL = LINKER.downcallHandle(
            LINKER.defaultLookup().find("ioctl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.firstVariadicArg(2),
            Linker.Option.captureCallState("errno"));
    // open is variadic: the mode follows the flags.
    private static final MethodHandle OPEN = LINKER.downcallHandle(
            LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {}

    static MethodHandle bind(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol =
                LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
    }

    /** One downcall, given the segment that receives errno. */
    @FunctionalInterface
    interface Call {
        long invoke(MemorySegment callState) throws Throwable;
    }

    /**
     * Runs {@code call}, turning a negative result into a {@link NativeIOException}. Calls that can be
     * interrupted by a signal before doing anything are retried on EINTR; close is not (Linux frees the fd anyway).
     */
    static long run(String name, boolean retryOnEintr, Call call) throws NativeIOException {
        try {
            MemorySegment state = SCRATCH.get().state();
            while (true) {
                long result = call.invoke(state);
                if (result >= 0) {
                    return result;
                }
                int errno = (int) ERRNO.get(state, 0L);
                if (errno == EINTR && retryOnEintr) {
                    continue;
                }
                throw new NativeIOException(name, errno, strerror(errno));
            }
        } catch (NativeIOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native call " + name + " failed to link or run", t);
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    static int socket(int domain, int type, int protocol) throws NativeIOException {
        return (int) run("socket", false, s -> (int) SOCKET.invokeExact(s, domain, type, protocol));
    }

    static void socketpair(int domain, int type, int protocol, MemorySegment pair) throws NativeIOException {
        run("socketpair", false, s -> (int) SOCKETPAIR.invokeExact(s, domain, type, protocol, pair));
    }

    static void connect(int fd, MemorySegment address, int length) throws NativeIOException {
        run("connect", false, s -> (int) CONNECT.invokeExact(s, fd, address, length));
    }

    static void bind(int fd, MemorySegment address, int length) throws NativeIOException {
        run("bind", false, s -> (int) BIND.invokeExact(s, fd, address, length));
    }

    static void listen(int fd, int backlog) throws NativeIOException {
        run("listen", false, s -> (int) LISTEN.invokeExact(s, fd, backlog));
    }

    static int accept4(int fd, int flags) throws NativeIOException {
        return (int) run(
                "accept4", true, s -> (int) ACCEPT4.invokeExact(s, fd, MemorySegment.NULL, MemorySegment.NULL, flags));
    }

    static long sendmsg(int fd, MemorySegment message, int flags) throws NativeIOException {
        return run("sendmsg", true, s -> (long) SENDMSG.invokeExact(s, fd, message, flags));
    }

    static long recvmsg(int fd, MemorySegment message, int flags) throws NativeIOException {
        return run("recvmsg", true, s -> (long) RECVMSG.invokeExact(s, fd, message, flags));
    }

    static long read(int fd, MemorySegment buffer, long length) throws NativeIOException {
        return run("read", true, s -> (long) READ.invokeExact(s, fd, buffer, length));
    }

    static long write(int fd, MemorySegment buffer, long length) throws NativeIOException {
        return run("write", true, s -> (long) WRITE.invokeExact(s, fd, buffer, length));
    }

    static void close(int fd) throws NativeIOException {
        run("close", false, s -> (int) CLOSE.invokeExact(s, fd));
    }

    static void shutdown(int fd, int how) throws NativeIOException {
        run("shutdown", false, s -> (int) SHUTDOWN.invokeExact(s, fd, how));
    }

    static void pipe2(MemorySegment fds, int flags) throws NativeIOException {
        run("pipe2", false, s -> (int) PIPE2.invokeExact(s, fds, flags));
    }

    static int fcntl(int fd, int command, int argument) throws NativeIOException {
        return (int) run("fcntl", true, s -> (int) FCNTL.invokeExact(s, fd, command, argument));
    }

    /**
     * splice(2); -1 when a non-blocking end would block (EAGAIN), which is routine on a socket the JDK made
     * non-blocking and so is not worth an exception per packet.
     */
    static long splice(int in, int out, long length, int flags) throws NativeIOException {
        try {
            MemorySegment state = SCRATCH.get().state();
            while (true) {
                long n = (long)
                        SPLICE.invokeExact(state, in, MemorySegment.NULL, out, MemorySegment.NULL, length, flags);
                if (n >= 0) {
                    return n;
                }
                int errno = (int) ERRNO.get(state, 0L);
                if (errno == EAGAIN) {
                    return -1;
                }
                if (errno != EINTR) {
                    throw new NativeIOException("splice", errno, strerror(errno));
                }
            }
        } catch (NativeIOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native call splice failed to link or run", t);
        }
    }

    /** poll(2) on one fd; returns its revents (0 on timeout). */
    static short poll(int fd, short events, int timeoutMillis) throws NativeIOException {
        // struct pollfd { int fd; short events; short revents; }
        MemorySegment pfd = SCRATCH.get().word();
        pfd.set(JAVA_INT, 0, fd);
        pfd.set(JAVA_SHORT, 4, events);
        pfd.set(JAVA_SHORT, 6, (short) 0);
        long n = run("poll", true, s -> (int) POLL.invokeExact(s, pfd, 1L, timeoutMillis));
        return n == 0 ? 0 : pfd.get(JAVA_SHORT, 6);
    }

    /** ioctl(2) with a pointer argument; {@code name} says which request, for the exception. */
    static int ioctl(String name, int fd, long request, MemorySegment argument) throws NativeIOException {
        return (int) run(name, true, s -> (int) IOCTL.invokeExact(s, fd, request, argument));
    }

    /** open(2) of {@code path} with {@code flags} (and mode 0600 for a file it creates). */
    static int open(String path, int flags) throws NativeIOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocateFrom(path);
            return (int) run("open " + path, true, s -> (int) OPEN.invokeExact(s, p, flags, 0600));
        }
    }

    /** ioctl(FIONREAD): bytes waiting to be read. */
    static int bytesReadable(int fd) throws NativeIOException {
        MemorySegment count = SCRATCH.get().word();
        run("ioctl", true, s -> (int) IOCTL.invokeExact(s, fd, FIONREAD, count));
        return count.get(JAVA_INT, 0);
    }
}
