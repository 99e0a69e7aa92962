package io.jvirt.qmp.wire;

import io.jvirt.nativeio.UnixSocket;
import io.jvirt.qmp.AddFdResult;
import io.jvirt.qmp.DumpStatus;
import io.jvirt.qmp.MigrationParameters;
import io.jvirt.qmp.MigrationStats;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorClosedException;
import io.jvirt.qmp.MonitorListener;
import io.jvirt.qmp.MonitorTimeoutException;
import io.jvirt.qmp.QemuVersion;
import io.jvirt.qmp.QmpCommandException;
import io.jvirt.qmp.StatusInfo;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link Monitor} over a QMP unix socket (newline-delimited JSON), able to pass fds with a command.
 *
 * <p>Threads: a platform thread {@code qmp-reader[<name>]} reads the socket (blocking FFM reads pin virtual
 * threads, hence a platform thread); it completes replies and queues events, and never runs listener code.
 * Events and the end go to the listener through {@link EventDispatcher}. Callers, on any thread, write their
 * command (the socket serialises writers) and wait for the reply matched by id, up to the command timeout.
 */
public final class QmpMonitor implements Monitor {
    /** Longest message accepted from QEMU; a longer one means a broken peer and closes the monitor. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(QmpMonitor.class.getName());
    private static final int READ_CHUNK = 64 * 1024;

    private final String name;
    private final UnixSocket socket;
    private final Duration commandTimeout;
    private final PendingCalls pending = new PendingCalls();
    private final EventDispatcher events;
    private final CompletableFuture<QemuVersion> greeting = new CompletableFuture<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    /**
     * Held by a command that passes fds while out-of-band execution is on: QEMU then reads on while earlier commands
     * wait to run, and keeps only the fds of the last message that carried any, so two such commands must not
     * overlap. Commands without fds never disturb them.
     */
    private final ReentrantLock fdCommands = new ReentrantLock();

    private volatile boolean closing;
    private volatile boolean outOfBand;

    private QmpMonitor(String name, UnixSocket socket, MonitorListener listener, Duration commandTimeout) {
        this.name = name;
        this.socket = socket;
        this.commandTimeout = commandTimeout;
        this.events = new EventDispatcher(name, listener);
    }

    /**
     * Connects to the QMP socket at {@code path}, reads the greeting and negotiates capabilities, each bounded by
     * {@code commandTimeout}. {@code name} (e.g. the domain name) names the threads and log lines.
     */
    public static Monitor connect(Path path, String name, MonitorListener listener, Duration commandTimeout)
            throws IOException {
        Objects.requireNonNull(listener, "listener");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("command timeout must be positive, got " + commandTimeout);
        }
        QmpMonitor monitor = new QmpMonitor(name, UnixSocket.connect(path), listener, commandTimeout);
        Thread.ofPlatform().name("qmp-reader[" + name + "]").daemon(true).start(monitor::readLoop);
        try {
            monitor.awaitGreeting();
            if (monitor.outOfBand) {
                monitor.call("qmp_capabilities", Map.of("enable", List.of("oob")), QmpReplies.NONE);
            } else {
                monitor.call("qmp_capabilities", null, QmpReplies.NONE);
            }
        } catch (IOException | RuntimeException e) {
            monitor.close();
            throw e;
        }
        return monitor;
    }

    @Override
    public QemuVersion version() {
        return greeting.getNow(null);
    }

    @Override
    public StatusInfo queryStatus() throws IOException {
        return call("query-status", null, QmpReplies.STATUS);
    }

    @Override
    public void cont() throws IOException {
        call("cont", null, QmpReplies.NONE);
    }

    @Override
    public void stop() throws IOException {
        call("stop", null, QmpReplies.NONE);
    }

    @Override
    public void systemPowerdown() throws IOException {
        call("system_powerdown", null, QmpReplies.NONE);
    }

    @Override
    public void systemReset() throws IOException {
        call("system_reset", null, QmpReplies.NONE);
    }

    @Override
    public void quit() throws IOException {
        closing = true;
        try {
            call("quit", null, QmpReplies.NONE);
        } catch (MonitorClosedException e) {
            LOG.log(System.Logger.Level.DEBUG, "monitor {0}: closed before quit was answered", name);
        }
        close();
    }

    @Override
    public void getfd(String fdName, int fd) throws IOException {
        call("getfd", Map.of("fdname", fdName), QmpReplies.NONE, fd);
    }

    @Override
    public void closefd(String fdName) throws IOException {
        call("closefd", Map.of("fdname", fdName), QmpReplies.NONE);
    }

    @Override
    public AddFdResult addFd(Integer fdsetId, int fd, String opaque) throws IOException {
        Map<String, Object> arguments = new HashMap<>();
        if (fdsetId != null) {
            arguments.put("fdset-id", fdsetId);
        }
        if (opaque != null) {
            arguments.put("opaque", opaque);
        }
        return call("add-fd", arguments, QmpReplies.ADD_FD, fd);
    }

    @Override
    public void migrate(String uri) throws IOException {
        call("migrate", Map.of("uri", uri), QmpReplies.NONE);
    }

    @Override
    public void migrateIncoming(String uri) throws IOException {
        call("migrate-incoming", Map.of("uri", uri), QmpReplies.NONE);
    }

    @Override
    public void migrateCancel() throws IOException {
        call("migrate_cancel", null, QmpReplies.NONE);
    }

    @Override
    public void migrateStartPostcopy() throws IOException {
        call("migrate-start-postcopy", null, QmpReplies.NONE);
    }

    @Override
    public MigrationStats queryMigrate() throws IOException {
        return call("query-migrate", null, QmpReplies.MIGRATION_STATS);
    }

    @Override
    public MigrationParameters queryMigrateParameters() throws IOException {
        return call("query-migrate-parameters", null, QmpReplies.MIGRATION_PARAMETERS);
    }

    @Override
    public void setMigrateParameters(Map<String, Object> params) throws IOException {
        call("migrate-set-parameters", params, QmpReplies.NONE);
    }

    @Override
    public Map<String, Boolean> queryMigrateCapabilities() throws IOException {
        return call("query-migrate-capabilities", null, QmpReplies.MIGRATION_CAPABILITIES);
    }

    @Override
    public void setMigrateCapabilities(Map<String, Boolean> caps) throws IOException {
        List<Map<String, Object>> list = new ArrayList<>(caps.size());
        caps.forEach((capability, state) -> list.add(Map.of("capability", capability, "state", state)));
        call("migrate-set-capabilities", Map.of("capabilities", list), QmpReplies.NONE);
    }

    @Override
    public void dumpGuestMemory(String protocol, boolean paging, String format, boolean detach) throws IOException {
        Map<String, Object> arguments = new HashMap<>();
        arguments.put("protocol", protocol);
        arguments.put("paging", paging);
        arguments.put("detach", detach);
        if (format != null) {
            arguments.put("format", format);
        }
        call("dump-guest-memory", arguments, QmpReplies.NONE);
    }

    @Override
    public DumpStatus queryDump() throws IOException {
        return call("query-dump", null, QmpReplies.DUMP_STATUS);
    }

    @Override
    public Map<String, Object> execute(String command, Map<String, ?> arguments, int... fds) throws IOException {
        return call(command, arguments, QmpReplies.PLAIN, fds);
    }

    @Override
    public Map<String, Object> executeOutOfBand(String command, Map<String, ?> arguments) throws IOException {
        if (!outOfBand) {
            return execute(command, arguments);
        }
        PendingCalls.Call call = pending.register(command);
        return send(call, QmpCodec.encodeOutOfBand(command, arguments, call.id()), QmpReplies.PLAIN);
    }

    @Override
    public String executeJson(String commandJson) throws IOException {
        QmpCodec.UserCommand command = QmpCodec.parseUserCommand(commandJson);
        try {
            return QmpCodec.encodeUserReturn(call(command.execute(), command.arguments(), value -> value));
        } catch (QmpCommandException e) {
            return QmpCodec.encodeUserError(e.errorClass(), e.description());
        }
    }

    @Override
    public boolean isClosed() {
        return ended.get();
    }

    @Override
    public void close() {
        closing = true;
        end(null);
    }

    /** Sends one command and waits for its reply; the single path every command, typed or not, takes. */
    private <T> T call(String command, Map<String, ?> arguments, QmpReplies.Decoder<T> decoder, int... fds)
            throws IOException {
        boolean exclusive = fds.length > 0 && outOfBand;
        if (exclusive) {
            fdCommands.lock();
        }
        try {
            PendingCalls.Call call = pending.register(command);
            return send(call, QmpCodec.encodeCommand(command, arguments, call.id()), decoder, fds);
        } finally {
            if (exclusive) {
                fdCommands.unlock();
            }
        }
    }

    private <T> T send(PendingCalls.Call call, byte[] line, QmpReplies.Decoder<T> decoder, int... fds)
            throws IOException {
        String command = call.command();
        try {
            socket.write(line, 0, line.length, fds);
        } catch (IOException e) {
            pending.forget(call.id());
            throw new MonitorClosedException("monitor " + name + ": cannot send '" + command + "'", e);
        }
        QmpMessage reply = await(call);
        return switch (reply) {
            case QmpMessage.Return r -> decoder.decode(r.value());
            case QmpMessage.Error e -> throw new QmpCommandException(command, e.errorClass(), e.description());
            default -> throw new IOException("monitor " + name + ": unexpected reply to '" + command + "': " + reply);
        };
    }

    private QmpMessage await(PendingCalls.Call call) throws IOException {
        try {
            return call.reply().get(commandTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.forget(call.id());
            throw new MonitorTimeoutException(call.command(), commandTimeout);
        } catch (ExecutionException e) {
            // A fresh exception gives the caller's stack; the reader's failure stays as the cause.
            throw new MonitorClosedException(
                    "monitor " + name + " closed while '" + call.command() + "' awaited its reply",
                    e.getCause() instanceof MonitorClosedException closed && closed.getCause() != null
                            ? closed.getCause()
                            : e.getCause());
        } catch (InterruptedException e) {
            pending.forget(call.id());
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the reply to '" + call.command() + "'");
        }
    }

    private void awaitGreeting() throws IOException {
        try {
            greeting.get(commandTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new MonitorTimeoutException("(greeting)", commandTimeout);
        } catch (ExecutionException e) {
            throw new MonitorClosedException("monitor " + name + " closed before QEMU's greeting", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for QEMU's greeting");
        }
    }

    /** Runs on qmp-reader[name] until end of stream, an error, or close. */
    private void readLoop() {
        LineFramer framer = new LineFramer(MAX_MESSAGE_BYTES);
        byte[] buffer = new byte[READ_CHUNK];
        Throwable cause;
        try {
            while (true) {
                int n = socket.read(buffer, 0, buffer.length);
                if (n < 0) {
                    cause = new EOFException("QEMU closed the monitor socket of " + name);
                    break;
                }
                for (byte[] line : framer.feed(buffer, 0, n)) {
                    dispatch(QmpCodec.decode(line));
                }
            }
        } catch (IOException | RuntimeException e) {
            cause = e;
        }
        end(closing ? null : cause);
    }

    private void dispatch(QmpMessage message) {
        switch (message) {
            case QmpMessage.Greeting g -> {
                outOfBand = g.oob();
                greeting.complete(new QemuVersion(g.major(), g.minor(), g.micro()));
            }
            case QmpMessage.Return r -> completeCall(r.id(), r);
            case QmpMessage.Error e -> completeCall(e.id(), e);
            case QmpMessage.Event e -> events.event(EventDecoder.decode(e));
            case QmpMessage.Unknown u ->
                LOG.log(System.Logger.Level.WARNING, "monitor {0}: ignoring message {1}", name, u.message());
        }
    }

    private void completeCall(Long id, QmpMessage reply) {
        if (!pending.complete(id, reply)) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "monitor {0}: reply for id {1} matched no waiting call (timed out?)",
                    name,
                    id);
        }
    }

    /** The one way out, from close(), quit() or the reader: first caller wins. */
    private void end(Throwable causeOrNull) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        if (causeOrNull != null) {
            LOG.log(System.Logger.Level.DEBUG, "monitor " + name + " ended", causeOrNull);
        }
        socket.close();
        MonitorClosedException closed = new MonitorClosedException("monitor " + name + " is closed", causeOrNull);
        pending.closeAll(closed);
        greeting.completeExceptionally(closed);
        events.closed(causeOrNull);
    }
}
