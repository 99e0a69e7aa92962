package io.jvirt.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A child started with posix_spawnp in a session of its own (POSIX_SPAWN_SETSID, glibc 2.26+), with stdin from
 * a file, stdout and stderr appended to another, default signal handling and an empty signal mask, and chosen
 * fds of ours as its fds 3, 4, … (every other fd closed, as the JDK's ProcessBuilder closes them; close-on-exec is
 * cleared by the dup2), or with fds of ours as its stdin, stdout and stderr ({@link #spawnWithStdio}, e.g. a
 * socket end). The JDK's ProcessBuilder cannot hand a child extra fds or sockets, which is why this exists.
 *
 * <p>Each child is reaped by a platform daemon thread of its own ({@code jvirt-reaper-PID}) that waits for it to
 * exit and then completes {@link #onExit()}, so no zombie is left and the JVM never waits for the child at exit.
 * The thread first waits without reaping (waitid WNOWAIT), then reaps under the lock that {@link #signal} takes:
 * a signal can therefore never reach a reused pid. Thread-safe.
 */
public final class ChildProcess {
    private static final int POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final int POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final int POSIX_SPAWN_SETSID = 0x80;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0x40;
    private static final int O_APPEND = 0x400;
    private static final int P_PID = 1;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = 0x01000000;
    private static final int ECHILD = 10;
    private static final int ESRCH = 3;
    // glibc x86_64/aarch64: posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128,
    // siginfo_t 128; allocated with room to spare.
    private static final long OPAQUE_SIZE = 512;
    private static final long SIGINFO_SIZE = 128;

    private static final Linker LINKER = Linker.nativeLinker();
    // The posix_spawn family returns an error number rather than setting errno.
    private static final MethodHandle FA_INIT = plain("posix_spawn_file_actions_init", JAVA_INT, ADDRESS);
    private static final MethodHandle FA_DESTROY = plain("posix_spawn_file_actions_destroy", JAVA_INT, ADDRESS);
    private static final MethodHandle FA_ADDOPEN =
            plain("posix_spawn_file_actions_addopen", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle FA_ADDDUP2 =
            plain("posix_spawn_file_actions_adddup2", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle FA_ADDCLOSEFROM =
            plain("posix_spawn_file_actions_addclosefrom_np", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle ATTR_INIT = plain("posix_spawnattr_init", JAVA_INT, ADDRESS);
    private static final MethodHandle ATTR_DESTROY = plain("posix_spawnattr_destroy", JAVA_INT, ADDRESS);
    private static final MethodHandle ATTR_SETFLAGS = plain("posix_spawnattr_setflags", JAVA_INT, ADDRESS, JAVA_SHORT);
    private static final MethodHandle ATTR_SETSIGMASK = plain("posix_spawnattr_setsigmask", JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle ATTR_SETSIGDEFAULT =
            plain("posix_spawnattr_setsigdefault", JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle SIGEMPTYSET = plain("sigemptyset", JAVA_INT, ADDRESS);
    private static final MethodHandle SIGFILLSET = plain("sigfillset", JAVA_INT, ADDRESS);
    private static final MethodHandle SPAWNP =
            plain("posix_spawnp", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle WAITID =
            Libc.bind("waitid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle WAITPID =
            Libc.bind("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle KILL = Libc.bind("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private final int pid;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private boolean reaped; // guarded by this

    private ChildProcess(int pid) {
        this.pid = pid;
    }

    @SuppressWarnings("restricted") // binding libc is what this class is for; the launcher enables native access
    private static MethodHandle plain(
            String name, java.lang.foreign.MemoryLayout result, java.lang.foreign.MemoryLayout... args) {
        MemorySegment symbol =
                LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, FunctionDescriptor.of(result, args));
    }

    /**
     * Starts {@code argv} (argv[0] looked up in PATH) with environment {@code env}, stdin from {@code stdinPath},
     * stdout and stderr appended to {@code outputPath} (created 0600 if missing), and {@code passFds.get(i)} as
     * the child's fd {@code 3 + i}. The caller keeps its own copies of the passed fds and closes them.
     *
     * @throws NativeIOException when the program cannot be started (ENOENT for a missing binary, the open's errno
     *                           for an unreadable log, …); no child is then left
     */
    public static ChildProcess spawn(
            List<String> argv, Map<String, String> env, String stdinPath, String outputPath, List<Integer> passFds)
            throws NativeIOException {
        return start(argv, env, (arena, actions) -> fileActions(arena, actions, stdinPath, outputPath, passFds));
    }

    /**
     * Starts {@code argv} as {@link #spawn} does, its stdin, stdout and stderr being our fds {@code stdinFd},
     * {@code stdoutFd} and {@code stderrFd} (the same fd may serve more than one, e.g. one end of a socketpair as
     * stdin and stdout); every other fd is closed in the child. The caller keeps its own copies and closes them.
     */
    public static ChildProcess spawnWithStdio(
            List<String> argv, Map<String, String> env, int stdinFd, int stdoutFd, int stderrFd)
            throws NativeIOException {
        return start(argv, env, (arena, actions) -> stdioActions(actions, List.of(stdinFd, stdoutFd, stderrFd)));
    }

    private static ChildProcess start(List<String> argv, Map<String, String> env, FileActions fileActions)
            throws NativeIOException {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty argv");
        }
        int pid;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(OPAQUE_SIZE, 16);
            MemorySegment attr = arena.allocate(OPAQUE_SIZE, 16);
            check("posix_spawn_file_actions_init", (int) FA_INIT.invokeExact(actions));
            check("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attr));
            try {
                fileActions.add(arena, actions);
                attributes(arena, attr);
                MemorySegment pidOut = arena.allocate(JAVA_INT);
                int rc = (int) SPAWNP.invokeExact(
                        pidOut,
                        arena.allocateFrom(argv.getFirst()),
                        actions,
                        attr,
                        strings(arena, argv),
                        strings(
                                arena,
                                env.entrySet().stream()
                                        .map(e -> e.getKey() + "=" + e.getValue())
                                        .toList()));
                check("posix_spawnp " + argv.getFirst(), rc);
                pid = pidOut.get(JAVA_INT, 0);
            } finally {
                int _ = (int) FA_DESTROY.invokeExact(actions);
                int _ = (int) ATTR_DESTROY.invokeExact(attr);
            }
        } catch (NativeIOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native call posix_spawnp failed to link or run", t);
        }
        ChildProcess child = new ChildProcess(pid);
        Thread.ofPlatform().daemon().name("jvirt-reaper-" + pid).start(child::reap);
        return child;
    }

    /**
     * stdin, stdout/stderr, then the passed fds. They go first to numbers above every one of them and then down to
     * 3, 4, …, so a dup2 never overwrites a passed fd that has not been moved yet; the rest is closed.
     */
    private static void fileActions(
            Arena arena, MemorySegment actions, String stdinPath, String outputPath, List<Integer> passFds)
            throws Throwable {
        check("addopen", (int) FA_ADDOPEN.invokeExact(actions, 0, arena.allocateFrom(stdinPath), O_RDONLY, 0));
        check("addopen", (int) FA_ADDOPEN.invokeExact(
                actions, 1, arena.allocateFrom(outputPath), O_WRONLY | O_CREAT | O_APPEND, 0600));
        check("adddup2", (int) FA_ADDDUP2.invokeExact(actions, 1, 2));
        int high = 3 + passFds.size();
        for (int fd : passFds) {
            high = Math.max(high, fd + 1);
        }
        for (int i = 0; i < passFds.size(); i++) {
            check("adddup2", (int) FA_ADDDUP2.invokeExact(actions, (int) passFds.get(i), high + i));
        }
        for (int i = 0; i < passFds.size(); i++) {
            check("adddup2", (int) FA_ADDDUP2.invokeExact(actions, high + i, 3 + i));
        }
        check("addclosefrom_np", (int) FA_ADDCLOSEFROM.invokeExact(actions, 3 + passFds.size()));
    }

    /** {@code fds} become the child's 0, 1, 2 by way of numbers above all of them (as {@link #fileActions}). */
    private static void stdioActions(MemorySegment actions, List<Integer> fds) throws Throwable {
        int high = 3;
        for (int fd : fds) {
            high = Math.max(high, fd + 1);
        }
        for (int i = 0; i < fds.size(); i++) {
            check("adddup2", (int) FA_ADDDUP2.invokeExact(actions, (int) fds.get(i), high + i));
        }
        for (int i = 0; i < fds.size(); i++) {
            check("adddup2", (int) FA_ADDDUP2.invokeExact(actions, high + i, i));
        }
        check("addclosefrom_np", (int) FA_ADDCLOSEFROM.invokeExact(actions, 3));
    }

    /** Adds the child's fd set-up to a posix_spawn_file_actions_t. */
    @FunctionalInterface
    private interface FileActions {
        void add(Arena arena, MemorySegment actions) throws Throwable;
    }

    private static void attributes(Arena arena, MemorySegment attr) throws Throwable {
        MemorySegment empty = arena.allocate(OPAQUE_SIZE, 16);
        MemorySegment all = arena.allocate(OPAQUE_SIZE, 16);
        check("sigemptyset", (int) SIGEMPTYSET.invokeExact(empty));
        check("sigfillset", (int) SIGFILLSET.invokeExact(all));
        check("posix_spawnattr_setsigmask", (int) ATTR_SETSIGMASK.invokeExact(attr, empty));
        check("posix_spawnattr_setsigdefault", (int) ATTR_SETSIGDEFAULT.invokeExact(attr, all));
        short flags = (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        check("posix_spawnattr_setflags", (int) ATTR_SETFLAGS.invokeExact(attr, flags));
    }

    /** A NULL-terminated char*[] of {@code values}. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    /** The sigfillset/sigemptyset family returns -1 with errno; posix_spawn* return the error number itself. */
    private static void check(String call, int rc) throws NativeIOException {
        if (rc != 0) {
            int errno = rc < 0 ? 22 : rc;
            throw new NativeIOException(call, errno, Libc.strerror(errno));
        }
    }

    /** The reaper thread's body: wait for the exit without reaping, then reap under the lock. */
    private void reap() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(SIGINFO_SIZE, 8);
            try {
                Libc.run("waitid", true, s -> (int) WAITID.invokeExact(s, P_PID, pid, info, WEXITED | WNOWAIT));
            } catch (NativeIOException e) {
                if (e.errno() != ECHILD) {
                    exit.completeExceptionally(e);
                    return;
                }
            }
            MemorySegment status = arena.allocate(JAVA_INT);
            synchronized (this) {
                reaped = true;
                try {
                    Libc.run("waitpid", true, s -> (int) WAITPID.invokeExact(s, pid, status, 0));
                } catch (NativeIOException e) {
                    // ECHILD: someone else reaped it; the exit status is then unknown.
                    exit.complete(-1);
                    return;
                }
            }
            exit.complete(decode(status.get(JAVA_INT, 0)));
        } catch (RuntimeException e) {
            exit.completeExceptionally(e);
        }
    }

    /** A wait status as a shell shows it: the exit code, or 128 + the signal that ended the process. */
    private static int decode(int status) {
        int signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    public long pid() {
        return pid;
    }

    /** Completes with the exit status (128 + signal for a killed child) once the child is reaped. */
    public CompletableFuture<Integer> onExit() {
        return exit;
    }

    public boolean isAlive() {
        return !exit.isDone();
    }

    /**
     * Sends {@code signal} unless the child has already been reaped, in which case its pid may belong to another
     * process by now and nothing is sent.
     *
     * @return false when the child was already gone
     */
    public synchronized boolean signal(int signal) throws NativeIOException {
        if (reaped) {
            return false;
        }
        try {
            Libc.run("kill", false, s -> (int) KILL.invokeExact(s, pid, signal));
            return true;
        } catch (NativeIOException e) {
            if (e.errno() == ESRCH) {
                return false;
            }
            throw e;
        }
    }
}
