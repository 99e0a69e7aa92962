package io.jvirt.remote;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.nativeio.ChildProcess;
import io.jvirt.nativeio.FdInputStream;
import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.NativeIOException;
import io.jvirt.nativeio.Pipe;
import io.jvirt.nativeio.UnixSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@link SshCommand} running with one end of a unix socket connection as its stdin and stdout, as libvirt runs
 * ssh on a socketpair: the RPC client reads and writes the other end, an ordinary {@link SocketChannel}. ssh's
 * stderr goes into a pipe; its first {@value #STDERR_KEPT} bytes are kept for the message when the connection
 * ends at once (a refused key, an unknown host key, no netcat on the far host), as libvirt reports them.
 *
 * <p>Threading: {@link #open} runs on the caller; a platform daemon thread ({@code jvirt-ssh-stderr-PID}) drains
 * stderr until ssh closes it; {@link #close} may run on any thread and never blocks.
 */
final class SshTunnel {
    private static final System.Logger LOG = System.getLogger(SshTunnel.class.getName());
    /** As much of ssh's stderr as libvirt reads for its error message. */
    static final int STDERR_KEPT = 1024;
    /** The environment libvirt lets through to ssh (its common set, then the agent's and the askpass helper's). */
    private static final List<String> PASSED_ENV = List.of(
            "LD_PRELOAD",
            "LD_LIBRARY_PATH",
            "PATH",
            "HOME",
            "USER",
            "LOGNAME",
            "TMPDIR",
            "KRB5CCNAME",
            "SSH_AUTH_SOCK",
            "SSH_ASKPASS",
            "DISPLAY",
            "XAUTHORITY");
    /** How long ssh may take to leave by itself once its stdin closed, before it gets SIGTERM (then SIGKILL). */
    private static final long EXIT_GRACE_MILLIS = 2000;

    private final SshCommand command;
    private final ChildProcess child;
    private final SocketChannel channel;
    private final CompletableFuture<String> stderr = new CompletableFuture<>();

    private SshTunnel(SshCommand command, ChildProcess child, SocketChannel channel) {
        this.command = command;
        this.child = child;
        this.channel = channel;
    }

    /** Starts ssh; its failures to connect or log in show later, as the end of the channel and {@link #stderr}. */
    static SshTunnel open(SshCommand command) {
        Pipe err;
        try {
            err = Pipe.open(0);
        } catch (NativeIOException e) {
            throw cannotRun(command, e);
        }
        boolean draining = false;
        Ends ends = null;
        try {
            ends = Ends.connect();
            int childFd = ends.child().fd();
            ChildProcess child =
                    ChildProcess.spawnWithStdio(command.argv(), environment(), childFd, childFd, err.writeFd());
            SshTunnel tunnel = new SshTunnel(command, child, ends.ours());
            Thread.ofPlatform()
                    .daemon()
                    .name("jvirt-ssh-stderr-" + child.pid())
                    .start(() -> tunnel.drain(err.readFd()));
            draining = true;
            return tunnel;
        } catch (IOException e) {
            if (ends != null) {
                closeQuietly(ends.ours());
            }
            throw cannotRun(command, e);
        } finally {
            if (ends != null) {
                ends.child().close(); // ssh has its own copy; ours would hold the socket open after ssh exits
            }
            NativeFds.closeQuietly(err.writeFd());
            if (!draining) {
                NativeFds.closeQuietly(err.readFd());
            }
        }
    }

    /**
     * Two ends of one unix socket connection: a native one to hand to ssh, a JDK channel for the RPC client (the JDK
     * has no socketpair). Made through a listener in a private directory that is gone before this returns.
     */
    private record Ends(UnixSocket child, SocketChannel ours) {
        static Ends connect() throws IOException {
            Path dir = Files.createTempDirectory(
                    socketBase(),
                    "jvirt-ssh-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path path = dir.resolve("s");
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(path));
                UnixSocket child = UnixSocket.connect(path);
                try {
                    return new Ends(child, server.accept());
                } catch (IOException e) {
                    child.close();
                    throw e;
                }
            } finally {
                Files.deleteIfExists(path);
                Files.deleteIfExists(dir);
            }
        }
    }

    private static VirtException cannotRun(SshCommand command, IOException e) {
        return VirtException.of(
                ErrorCode.SYSTEM_ERROR,
                ErrorDomain.RPC,
                "Cannot run '" + command.argv().getFirst() + "' to reach " + command.destination() + ": "
                        + e.getMessage(),
                e);
    }

    /** The channel to speak RPC on; closing it tells ssh (and the far netcat) to finish. */
    SocketChannel channel() {
        return channel;
    }

    long pid() {
        return child.pid();
    }

    /**
     * What ssh wrote to stderr, trailing white space removed, once it closed stderr (it exited) or, failing that,
     * after {@code waitMillis}: empty if it wrote nothing by then.
     */
    String stderr(long waitMillis) {
        try {
            return stderr.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * Closes our end, which lets ssh finish by itself; one still running after {@value #EXIT_GRACE_MILLIS} ms gets
     * SIGTERM, and SIGKILL as long again later, as libvirt ends its ssh. Idempotent; returns at once.
     */
    void close() {
        closeQuietly(channel);
        // Timeouts on copies: completing the child's own exit future would make it look gone.
        exitOrGrace().thenRun(() -> signal(15)).thenCompose(x -> exitOrGrace()).thenRun(() -> signal(9));
    }

    /** Completes when ssh exits or {@value #EXIT_GRACE_MILLIS} ms have passed, whichever is first. */
    private CompletableFuture<Integer> exitOrGrace() {
        return child.onExit().copy().completeOnTimeout(-1, EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void signal(int signal) {
        try {
            if (child.isAlive() && child.signal(signal)) {
                LOG.log(System.Logger.Level.DEBUG, "sent signal {0} to ssh {1}", signal, child.pid());
            }
        } catch (NativeIOException e) {
            LOG.log(System.Logger.Level.DEBUG, "signalling ssh {0}: {1}", child.pid(), e.getMessage());
        }
    }

    /** The drain thread's body: keeps the first bytes, reads the rest away so ssh never blocks on a full pipe. */
    private void drain(int fd) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try (FdInputStream in = new FdInputStream(fd, buf.length)) {
            int n;
            while ((n = in.read(buf, 0, buf.length)) > 0) {
                kept.write(buf, 0, Math.min(n, STDERR_KEPT - kept.size()));
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "reading stderr of ssh {0}: {1}", child.pid(), e.getMessage());
        }
        stderr.complete(kept.toString(StandardCharsets.UTF_8).stripTrailing());
    }

    /** libvirt's environment for ssh: {@code LC_ALL=C} and {@link #PASSED_ENV} where set. */
    private static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LC_ALL", "C");
        for (String name : PASSED_ENV) {
            String v = System.getenv(name);
            if (v != null) {
                env.put(name, v);
            }
        }
        return env;
    }

    /** The directory for the short-lived socket: the JVM's temp directory, unless its paths are too long for one. */
    private static Path socketBase() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        // sun_path holds 108 bytes: the directory, "/jvirt-ssh-" + a random number, "/s".
        return tmp.toString().length() > 60 ? Path.of("/tmp") : tmp;
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing ssh channel: {0}", e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return "ssh " + command.destination() + " (pid " + child.pid() + ")";
    }
}
