package io.jvirt.driver.migration.tunnel;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.nativeio.NativeIOException;
import io.jvirt.nativeio.UnixServerSocket;
import io.jvirt.nativeio.UnixSocket;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.NbdAddress;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The source end of jvirt's storage through the tunnel (see
 * {@link io.jvirt.api.DriverFeature#JVIRT_TUNNEL_STORAGE}), around the tunnel that carries the memory: the disk
 * mirrors' NBD client nodes connect to a unix socket jvirt listens on in the host's run directory instead of to
 * the destination, and each connection QEMU makes is handed to a {@link Carrier}, which opens a stream of its own
 * to the destination daemon (jvirt's NBD call) that sends the connection's bytes (a {@link TunnelChannelSource},
 * as a tunnel channel's, spliced where the stream can) and receives the NBD server's answers, which go back into
 * the same connection ({@link NbdAnswers}). {@link #close()} (abort, failure) ends the memory tunnel only: the
 * mirrors are cancelled next, and a mirror that lost its connection first would report a failed disk instead of
 * the abort; {@link #closeStorage()} ends the NBD connections still open, their links and the listening socket once
 * the migration is over, whatever its outcome. A link lost meanwhile ends its connections by itself.
 *
 * <p>Threading: an accepting platform thread runs from {@link #open} until {@link #closeStorage()}; carriers are
 * called on it; the memory part is used as {@link OutgoingTransport} says.
 */
public final class SourceStorageTunnel implements OutgoingTransport {
    private static final Logger LOG = System.getLogger(SourceStorageTunnel.class.getName());

    /** Carries one NBD connection to the destination. */
    @FunctionalInterface
    public interface Carrier {
        /**
         * Sends what {@code toDestination} reads to the destination's NBD server as connection {@code connection}
         * and writes its answers into {@code toSource}, on threads of its own (see
         * {@link io.jvirt.api.MigrationPhases#migrateTunnelNbd}); returns the link that carries it, watched while the
         * migration runs and closed at its end.
         */
        Link carry(int connection, ReadableByteChannel toDestination, WritableByteChannel toSource);
    }

    /** A connection to the destination that carries NBD connections: {@code lost} says when it is gone. */
    public record Link(Supplier<VirtException> lost, Runnable close) {
        /** Nothing of its own (the destination is called in-process, or through the main link, watched already). */
        public static final Link SHARED = new Link(() -> null, () -> {});
    }

    private final OutgoingTransport memory;
    private final String domain;
    private final UnixServerSocket server;
    private final Carrier carrier;
    private final List<TunnelChannelSource> connections = new ArrayList<>();
    private final List<Link> links = new ArrayList<>();
    private volatile VirtException failure;
    private boolean closed;

    private SourceStorageTunnel(OutgoingTransport memory, String domain, UnixServerSocket server, Carrier carrier) {
        this.memory = memory;
        this.domain = domain;
        this.server = server;
        this.carrier = carrier;
    }

    /** Listens at {@code socket} for QEMU's NBD connections and starts accepting them. */
    public static SourceStorageTunnel open(OutgoingTransport memory, String domain, Path socket, Carrier carrier) {
        UnixServerSocket server = TunnelListen.bind(socket, "the disks' NBD connections");
        SourceStorageTunnel out = new SourceStorageTunnel(memory, domain, server, carrier);
        Thread.ofPlatform()
                .daemon(true)
                .name("jvirt-tunnel-nbd-accept-" + domain)
                .start(out::acceptAll);
        return out;
    }

    private void acceptAll() {
        int count = 0;
        try {
            while (true) {
                carry(count++, server.accept());
            }
        } catch (NativeIOException e) {
            LOG.log(Level.DEBUG, "storage tunnel of {0}: accepting ended: {1}", domain, e.getMessage());
        } finally {
            server.close();
        }
    }

    /** One NBD connection QEMU made: carried, or (carrier refused, tunnel closed) ended at once. */
    private void carry(int connection, UnixSocket socket) {
        TunnelChannelSource requests = new TunnelChannelSource();
        requests.connected(socket);
        synchronized (this) {
            if (closed) {
                requests.abort();
                return;
            }
            connections.add(requests);
        }
        Link link;
        try {
            link = carrier.carry(connection, requests, new NbdAnswers(socket, requests));
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "storage tunnel of {0}: NBD connection {1} refused: {2}", domain, connection, e);
            if (failure == null) {
                failure = e instanceof VirtException v
                        ? v
                        : VirtException.of(
                                ErrorCode.INTERNAL_ERROR,
                                ErrorDomain.QEMU,
                                "cannot carry NBD connection " + connection + " of domain '" + domain + "': " + e,
                                e);
            }
            requests.abort();
            return;
        }
        boolean late;
        synchronized (this) {
            late = closed;
            if (!late) {
                links.add(link);
            }
        }
        if (late) {
            link.close().run();
        }
        LOG.log(Level.DEBUG, "storage tunnel of {0}: NBD connection {1} carried", domain, connection);
    }

    /** The tunnel that carries the memory. */
    public OutgoingTransport memory() {
        return memory;
    }

    /** Where the mirrors' NBD client nodes connect. */
    @Override
    public NbdAddress nbdServer() {
        return NbdAddress.unix(server.path().toString());
    }

    @Override
    public String uri() {
        return memory.uri();
    }

    @Override
    public void attach(String domainName, Monitor monitor) {
        memory.attach(domainName, monitor);
    }

    @Override
    public void drain() {
        memory.drain();
    }

    /** The memory tunnel's loss, else a refused NBD connection, else a lost link of an NBD connection. */
    @Override
    public VirtException lost() {
        VirtException gone = memory.lost();
        if (gone == null) {
            gone = failure;
        }
        List<Link> watched;
        synchronized (this) {
            watched = List.copyOf(links);
        }
        for (Link l : watched) {
            if (gone == null) {
                gone = l.lost().get();
            }
        }
        return gone;
    }

    /** Abort or failure: the memory tunnel (QEMU must never block on it); the mirrors' connections stay for now. */
    @Override
    public void close() {
        memory.close();
    }

    /**
     * The storage part only: the listening socket (and its file), every NBD connection still open (a mirror still
     * writing fails), and the links that carried them. Idempotent.
     */
    public void closeStorage() {
        List<TunnelChannelSource> all;
        List<Link> carriers;
        synchronized (this) {
            closed = true;
            all = List.copyOf(connections);
            carriers = List.copyOf(links);
            connections.clear();
            links.clear();
        }
        server.close();
        all.forEach(TunnelChannelSource::abort);
        carriers.forEach(l -> l.close().run());
    }
}
