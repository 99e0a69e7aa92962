package io.jvirt.testing;

import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.NativeIOException;
import io.jvirt.nativeio.UnixServerSocket;
import io.jvirt.nativeio.UnixSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scripted QMP server on a unix socket, standing in for QEMU's monitor in unit tests.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * try (FakeQmp qemu = FakeQmp.builder().version(10, 0, 2).start()) {
 *     qemu.expect("query-status").reply(Map.of("status", "running", "running", true));
 *     qemu.expect("stop").reply(Map.of()).thenEmit("STOP", Map.of());
 *     qemu.expect("cont").replyError("GenericError", "boom");
 *     Monitor monitor = QmpMonitor.connect(qemu.socketPath(), "vm1", listener, Duration.ofSeconds(5));
 *     ...
 *     ReceivedCommand getfd = qemu.awaitCommand("getfd", Duration.ofSeconds(5));
 *     assertThat(getfd.fds()).hasSize(1);         // the fd really crossed the socket
 *     qemu.emit("SHUTDOWN", Map.of("guest", true, "reason", "guest-shutdown"));
 *     qemu.dropConnection();                      // QEMU "dies": the client sees end of stream
 * }
 * }</pre>
 * Like QEMU it sends a greeting (version configurable), requires {@code qmp_capabilities} first (answered
 * {@code {}} unless scripted), serves one client at a time (a second one waits for the first to leave) and
 * accepts reconnects. Scripted answers ({@link #expect}) are used first-in first-out per command name; an
 * unscripted command gets the default reply ({@code {}} unless {@link Builder#defaultReply} says otherwise), or,
 * in {@link Builder#strict() strict} mode, a CommandNotFound error and a failing {@link #close()}.
 * Also like QEMU, an unscripted getfd/add-fd without an fd is answered with GenericError.
 *
 * <p>Threading: the accept/read loop runs on one platform thread ({@code fake-qmp}); all public methods are thread
 * safe. {@link #close()} stops the loop, closes every fd received and removes the socket and its directory.
 */
public final class FakeQmp implements AutoCloseable {
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private final Builder config;
    private final Path directory;
    private final UnixServerSocket server;
    private final Thread loop;
    private final Map<String, Deque<Expectation>> script = new HashMap<>();
    private final List<ReceivedCommand> received = new ArrayList<>();
    private final Map<String, Integer> awaited = new HashMap<>();
    private final List<String> unexpected = new ArrayList<>();
    private FakeQmpConnection current;
    private int connections;
    private volatile boolean closed;

    private FakeQmp(Builder config) throws IOException {
        this.config = config;
        this.directory = Files.createTempDirectory("fake-qmp");
        this.server = UnixServerSocket.bind(directory.resolve("qmp.sock"));
        this.loop = Thread.ofPlatform().name("fake-qmp").daemon(true).start(this::acceptLoop);
    }

    /** A lenient fake announcing QEMU 10.0.2. */
    public static FakeQmp start() throws IOException {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The socket to connect to (what QEMU's {@code -qmp unix:PATH} would be). */
    public Path socketPath() {
        return server.path();
    }

    /** Scripts the next arrival of {@code command}; configure the returned expectation before it can arrive. */
    public Expectation expect(String command) {
        Expectation expectation = new Expectation(command);
        synchronized (this) {
            script.computeIfAbsent(command, k -> new ArrayDeque<>()).add(expectation);
        }
        return expectation;
    }

    /** Sends an event to the connected client now; dropped (like QEMU does) when none is connected. */
    public void emit(String event, Map<String, ?> data) {
        FakeQmpConnection connection = currentConnection();
        if (connection != null) {
            connection.sendEvent(event, new LinkedHashMap<>(data));
        }
    }

    /** Closes the client's connection, as QEMU's death would; the fake keeps listening for reconnects. */
    public void dropConnection() {
        FakeQmpConnection connection = currentConnection();
        if (connection != null) {
            connection.drop();
        }
    }

    /** Every command received so far (qmp_capabilities included), in arrival order. */
    public synchronized List<ReceivedCommand> commands() {
        return List.copyOf(received);
    }

    /** Names of the commands received so far, in order. */
    public synchronized List<String> commandNames() {
        return received.stream().map(ReceivedCommand::name).toList();
    }

    /**
     * Waits for the next arrival of {@code name} not yet returned by an earlier awaitCommand (commands that arrived
     * before the call count), failing with AssertionError after {@code timeout}.
     */
    public synchronized ReceivedCommand awaitCommand(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int seen = awaited.getOrDefault(name, 0);
            List<ReceivedCommand> matching =
                    received.stream().filter(c -> c.name().equals(name)).toList();
            if (matching.size() > seen) {
                awaited.put(name, seen + 1);
                return matching.get(seen);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(
                        "fake QMP: no '" + name + "' within " + timeout + "; received " + commandNames());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Whether a client is connected (greeted) right now. */
    public synchronized boolean isClientConnected() {
        return current != null;
    }

    /** How many clients have connected so far. */
    public synchronized int connectionCount() {
        return connections;
    }

    /** Strict mode: the unscripted commands received so far. */
    public synchronized List<String> unexpectedCommands() {
        return List.copyOf(unexpected);
    }

    /** Stops the fake, closes received fds, removes the socket; in strict mode fails if unscripted commands came. */
    @Override
    public void close() {
        closed = true;
        server.close();
        dropConnection();
        try {
            loop.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> failures;
        synchronized (this) {
            received.forEach(c -> c.fds().forEach(NativeFds::closeQuietly));
            failures = List.copyOf(unexpected);
        }
        try {
            Files.deleteIfExists(directory);
        } catch (IOException ignored) {
            // A temp directory left behind is harmless.
        }
        if (config.strict && !failures.isEmpty()) {
            throw new AssertionError("fake QMP (strict) received unscripted commands: " + failures);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            UnixSocket socket;
            try {
                socket = server.accept();
            } catch (NativeIOException e) {
                return;
            }
            FakeQmpConnection connection;
            synchronized (this) {
                connection = new FakeQmpConnection(this, socket, ++connections);
                current = connection;
            }
            if (closed) {
                connection.drop();
            }
            try {
                connection.serve();
            } finally {
                synchronized (this) {
                    current = null;
                }
                socket.close();
            }
        }
    }

    private synchronized FakeQmpConnection currentConnection() {
        return current;
    }

    Builder config() {
        return config;
    }

    /** Called by the connection thread for every command, before it is answered. */
    synchronized void record(ReceivedCommand command) {
        received.add(command);
        notifyAll();
    }

    /** The expectation that answers this arrival of {@code command}; null when unscripted. */
    synchronized Expectation nextExpectation(String command) {
        Deque<Expectation> queue = script.get(command);
        Expectation next = queue == null ? null : queue.peek();
        if (next != null && !next.repeated()) {
            queue.poll();
        }
        return next;
    }

    synchronized void unscripted(String command) {
        if (config.strict) {
            unexpected.add(command);
        }
    }

    /** Configures and starts a {@link FakeQmp}. */
    public static final class Builder {
        int major = 10;
        int minor = 0;
        int micro = 2;
        boolean strict;
        boolean greeting = true;
        Object defaultReply = Map.of();

        private Builder() {}

        /** The version announced in the greeting (default 10.0.2). */
        public Builder version(int major, int minor, int micro) {
            this.major = major;
            this.minor = minor;
            this.micro = micro;
            return this;
        }

        /** Unscripted commands get CommandNotFound and make {@link FakeQmp#close()} fail the test. */
        public Builder strict() {
            this.strict = true;
            return this;
        }

        /** The return value for unscripted commands in lenient mode (default {@code {}}). */
        public Builder defaultReply(Object value) {
            this.defaultReply = value;
            return this;
        }

        /** Accept clients but never greet them (to test a client's greeting timeout). */
        public Builder withoutGreeting() {
            this.greeting = false;
            return this;
        }

        public FakeQmp start() throws IOException {
            return new FakeQmp(this);
        }
    }
}
