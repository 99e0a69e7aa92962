package io.jvirt.daemon;

import io.jvirt.api.Connection;
import io.jvirt.api.Connections;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.daemon.observe.Observability;
import io.jvirt.nativeio.SpliceWarmup;
import io.jvirt.nativeio.UnixServerSocket;
import io.jvirt.rpc.tls.TlsChannel;
import io.jvirt.rpc.tls.TlsContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running jvirtd: the driver opened on the root (which reconnects running guests and starts autostart ones),
 * the unix sockets (read-write and read-only) and the optional TCP listener, each accepting on a virtual thread.
 * {@link #start} returns once every socket is bound, so the daemon is ready when it returns. {@link #close} stops
 * the listeners and clients and closes the driver; guests keep running.
 */
public final class Daemon implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Daemon.class.getName());
    /** A client that has not finished its TLS handshake by then is dropped (it holds a thread meanwhile). */
    private static final Duration TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    private final DaemonConfig config;
    private final Connection driver;
    private final boolean ownsDriver;
    private final DaemonContext ctx;
    private final Observability observers;
    private final Optional<InetSocketAddress> metricsListen;
    private final List<Listening> listeners = new ArrayList<>();
    private final Set<ClientSession> clients = ConcurrentHashMap.newKeySet();
    /** TLS connections not yet sessions: they count against max_clients, and the daemon's close ends them. */
    private final Set<SocketChannel> handshaking = ConcurrentHashMap.newKeySet();

    private final AtomicLong nextClientId = new AtomicLong(1);
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile InetSocketAddress tcpAddress;
    private volatile InetSocketAddress tlsAddress;
    /** Set first thing by {@link #close}: a session registered after it saw the clients must end itself. */
    private volatile boolean closing;

    private Daemon(
            DaemonConfig config, Connection driver, boolean ownsDriver, Optional<InetSocketAddress> metricsListen) {
        this.config = config;
        this.driver = driver;
        this.ownsDriver = ownsDriver;
        this.metricsListen = metricsListen;
        this.observers = Observability.create(metricsListen, driver, clients::size);
        this.ctx = DaemonContext.of(driver, config, observers);
    }

    /** Writes the config's driver settings into the root, opens the driver and binds every socket. */
    public static Daemon start(DaemonConfig config) {
        return start(config, Optional.empty());
    }

    /**
     * As {@link #start(DaemonConfig)}, serving Prometheus metrics on {@code metricsListen} when given
     * ({@code metrics_listen}; port 0 lets the OS pick, see {@link #metricsAddress}).
     */
    public static Daemon start(DaemonConfig config, Optional<InetSocketAddress> metricsListen) {
        RootSettings.merge(config.root(), config.driverSettings());
        Connection driver =
                Connections.open("qemu:///embed?root=" + config.root().toAbsolutePath());
        try {
            return start(config, driver, true, metricsListen);
        } catch (RuntimeException e) {
            driver.close();
            throw e;
        }
    }

    /** As {@link #start(DaemonConfig)} over a connection the caller opened (closed with the daemon if owned). */
    static Daemon start(DaemonConfig config, Connection driver, boolean ownsDriver) {
        return start(config, driver, ownsDriver, Optional.empty());
    }

    /** As {@link #start(DaemonConfig, Connection, boolean)}, serving metrics on {@code metricsListen} if given. */
    static Daemon start(
            DaemonConfig config, Connection driver, boolean ownsDriver, Optional<InetSocketAddress> metricsListen) {
        Daemon d = new Daemon(config, driver, ownsDriver, metricsListen);
        // Tunnelled migrations splice through native calls; trying and compiling that path now, in the background,
        // keeps the JIT off the CPU QEMU needs during the first migration (and finds a kernel that cannot splice).
        SpliceWarmup.startOnce();
        try {
            d.bind();
            d.observers.serve(d.metricsListen);
        } catch (IOException e) {
            d.stopListeners();
            throw VirtException.of(ErrorCode.SYSTEM_ERROR, ErrorDomain.REMOTE, "cannot listen: " + e, e);
        } catch (RuntimeException e) {
            d.stopListeners();
            throw e;
        }
        d.ctx.fanout().ensureListening();
        d.listeners.forEach(Listening::start);
        LOG.log(
                System.Logger.Level.INFO,
                "jvirtd on root {0}, host UUID {1}, listening on {2}",
                config.root(),
                driver.hostUuid(),
                d.listenAddresses());
        d.ready.countDown();
        return d;
    }

    private void bind() throws IOException {
        SocketActivation activation = SocketActivation.takeFromEnvironment();
        listeners.add(unix(config.rwSocket(), config.rwPerms(), false, activation.fd(SocketActivation.RW)));
        listeners.add(unix(config.roSocket(), config.roPerms(), true, activation.fd(SocketActivation.RO)));
        if (config.tcp().isPresent()) {
            DaemonConfig.TcpListen t = config.tcp().get();
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(t.address(), t.port()));
            tcpAddress = (InetSocketAddress) server.getLocalAddress();
            listeners.add(new Listener(
                    server,
                    "tcp://" + tcpAddress.getHostString() + ":" + tcpAddress.getPort(),
                    ch -> admit(ch, false, false),
                    () -> {}));
        }
        if (config.tls().isPresent()) {
            DaemonConfig.TlsListen t = config.tls().get();
            // libvirtd checks its own certificate and CAs before it listens: a bad file stops the start.
            TlsContext tls = TlsContext.create(t.settings());
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(t.address(), t.port()));
            tlsAddress = (InetSocketAddress) server.getLocalAddress();
            listeners.add(new Listener(
                    server,
                    "tls://" + tlsAddress.getHostString() + ":" + tlsAddress.getPort(),
                    ch -> admitTls(ch, tls),
                    () -> {}));
        }
    }

    /** A unix socket: the one systemd handed over for it ({@code inherited}), else one bound at {@code path}. */
    private Listening unix(Path path, int mode, boolean readOnly, Optional<Integer> inherited) throws IOException {
        if (inherited.isPresent()) {
            UnixServerSocket server = UnixServerSocket.inherited(inherited.get(), path);
            return new InheritedListener(
                    server,
                    "unix:fd " + inherited.get() + " from systemd" + (readOnly ? " (read-only)" : ""),
                    s -> admit(UnixSocketTransport.of(s), readOnly));
        }
        ServerSocketChannel server = UnixSockets.bind(path, mode);
        return new Listener(
                server,
                "unix:" + path + (readOnly ? " (read-only)" : ""),
                ch -> admit(ch, readOnly, true),
                () -> deleteQuietly(path));
    }

    private void admit(SocketChannel ch, boolean readOnly, boolean secure) {
        long id = nextClientId.getAndIncrement();
        if (refuseOverLimit(ch, id)) {
            return;
        }
        serve(id, Transport.of(ch, secure), readOnly);
    }

    /** A client on a socket systemd handed over: counted against max_clients as any other. */
    private void admit(Transport transport, boolean readOnly) {
        long id = nextClientId.getAndIncrement();
        if (refuseOverLimit(transport::close, id)) {
            return;
        }
        serve(id, transport, readOnly);
    }

    private void serve(long id, Transport transport, boolean readOnly) {
        ClientSession s = register(id, transport, readOnly);
        // A platform thread: while a tunnelled migration arrives it splices the stream's payloads into QEMU's pipe,
        // a call that blocks in the kernel and would pin a virtual thread's carrier.
        Thread.ofPlatform().daemon(true).name("jvirtd-client-" + id).start(s::serve);
    }

    /**
     * A qemu+tls connection: on its own thread (never the accept loop's), the TLS handshake, the check of the
     * client's certificate and libvirt's confirmation byte, then the session as on TCP. A refused client is closed
     * without a word, as libvirtd closes it; it never becomes a session.
     */
    private void admitTls(SocketChannel ch, TlsContext tls) {
        long id = nextClientId.getAndIncrement();
        if (refuseOverLimit(ch, id)) {
            return;
        }
        handshaking.add(ch);
        Thread.ofPlatform().daemon(true).name("jvirtd-client-" + id).start(() -> {
            TlsChannel opened;
            try {
                opened = TlsChannel.accept(tls, ch, TLS_HANDSHAKE_TIMEOUT);
            } catch (IOException | VirtException e) {
                LOG.log(System.Logger.Level.WARNING, "refusing TLS client {0}: {1}", id, describe(e));
                return;
            } finally {
                handshaking.remove(ch);
            }

            LOG.log(
                    System.Logger.Level.DEBUG,
                    "TLS client {0} is {1}",
                    id,
                    opened.peerDn().orElse("unchecked"));
            ClientSession session = register(id, new TlsTransport(opened), false);
            if (closing) {
                session.close(); // the daemon closed during the handshake (else its close would have ended us)
                return;
            }
            session.serve();
        });
    }

    private static String describe(Exception e) {
        return e.getCause() instanceof VirtException reason
                ? e.getMessage() + ": " + reason.getMessage()
                : e.toString();
    }

    /** Closes {@code ch} if max_clients connections (sessions and TLS handshakes) are open; true if it did. */
    private boolean refuseOverLimit(java.io.Closeable ch, long id) {
        if (clients.size() + handshaking.size() >= config.maxClients()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "refusing client {0}: {1} clients already (max_clients)",
                    id,
                    config.maxClients());
            try {
                ch.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing refused client: {0}", e.toString());
            }
            return true;
        }
        return false;
    }

    /** Makes the session of client {@code id} and registers it (clients, event fan-out); the caller serves it. */
    private ClientSession register(long id, Transport transport, boolean readOnly) {
        ClientSession[] self = new ClientSession[1];
        ClientSession s = new ClientSession(id, transport, readOnly, ctx, () -> {
            clients.remove(self[0]);
            ctx.fanout().remove(self[0]);
            LOG.log(System.Logger.Level.DEBUG, "client {0} gone", id);
        });
        self[0] = s;
        clients.add(s);
        ctx.fanout().add(s);
        LOG.log(System.Logger.Level.DEBUG, "client {0} connected{1}", id, readOnly ? " (read-only)" : "");
        return s;
    }

    /** Returns once the sockets are bound (at once: {@link #start} binds before it returns). */
    public void awaitReady() {
        try {
            ready.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until {@link #close} ran, or the timeout passed; true if closed. */
    public boolean awaitClosed(long timeout, TimeUnit unit) throws InterruptedException {
        return closed.await(timeout, unit);
    }

    public Path rwSocket() {
        return config.rwSocket();
    }

    public Path roSocket() {
        return config.roSocket();
    }

    /** The bound TCP address (with the real port when the config asked for port 0). */
    public Optional<InetSocketAddress> tcpAddress() {
        return Optional.ofNullable(tcpAddress);
    }

    /** The bound TLS address (with the real port when the config asked for port 0). */
    public Optional<InetSocketAddress> tlsAddress() {
        return Optional.ofNullable(tlsAddress);
    }

    public UUID hostUuid() {
        return driver.hostUuid();
    }

    /** The listen addresses, for the start-up log and the caller (the metrics endpoint last, when served). */
    public List<String> listenAddresses() {
        List<String> all =
                new ArrayList<>(listeners.stream().map(Listening::description).toList());
        metricsAddress().ifPresent(a -> all.add("http://" + a.getHostString() + ":" + a.getPort() + "/metrics"));
        return List.copyOf(all);
    }

    /** Where Prometheus metrics are served, when {@code metrics_listen} is set. */
    public Optional<InetSocketAddress> metricsAddress() {
        return observers.metricsAddress();
    }

    /** The driver this daemon serves, for tests that clean up through the API. */
    Connection driver() {
        return driver;
    }

    /** Whether some client registered for {@code eventId}, so a test knows a {@code virsh event} listens. */
    boolean someClientListensTo(int eventId) {
        return clients.stream().anyMatch(c -> c.events().listensTo(eventId));
    }

    int clientCount() {
        return clients.size();
    }

    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        closing = true;
        stopListeners();
        handshaking.forEach(Daemon::closeQuietly);
        for (ClientSession c : List.copyOf(clients)) {
            c.close();
        }
        ctx.fanout().close();
        if (ownsDriver) {
            driver.close();
        }
        LOG.log(System.Logger.Level.INFO, "jvirtd stopped");
        closed.countDown();
    }

    private void stopListeners() {
        observers.close();
        for (Listening l : listeners) {
            l.close();
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a TLS client: {0}", e.toString());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "removing {0}: {1}", p, e.toString());
        }
    }
}
