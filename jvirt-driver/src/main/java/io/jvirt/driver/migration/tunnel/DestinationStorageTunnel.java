package io.jvirt.driver.migration.tunnel;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.nativeio.UnixSocket;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The destination end of jvirt's storage through the tunnel (see
 * {@link io.jvirt.api.DriverFeature#JVIRT_TUNNEL_STORAGE}): QEMU's NBD server listens on a unix socket in the
 * host's run directory, so no port is opened; each NBD connection of the source arrives as a stream (jvirt's NBD
 * call) and gets a connection of its own to that socket. The source's requests go in as a tunnel channel's bytes
 * do (a {@link DestinationTunnel} relay, spliced from the daemon's socket where it can), and a pump of this class
 * writes the server's answers back into the stream. The connection is made at once: an NBD server speaks first.
 *
 * <p>Threading: {@link #add} runs on the NBD calls' threads; each connection has a relay, a pump into it and a pump
 * back, platform threads all; {@link #close()} on whichever thread ends the job.
 */
public final class DestinationStorageTunnel implements AutoCloseable {
    private static final Logger LOG = System.getLogger(DestinationStorageTunnel.class.getName());
    private static final int ANSWER_BYTES = 64 << 10;
    private static final long JOIN_MILLIS = 5_000;

    private final String domain;
    private final Path socket;
    private final List<AutoCloseable> connections = new ArrayList<>();
    private boolean closed;

    /** {@code socket}: where QEMU's NBD server is to listen ({@code nbd-server-start} with a unix address). */
    public DestinationStorageTunnel(String domain, Path socket) {
        this.domain = domain;
        this.socket = socket;
    }

    /** Where QEMU's NBD server listens. */
    public Path socket() {
        return socket;
    }

    /**
     * NBD connection {@code connection} of the source: connects to the NBD server and starts moving bytes both
     * ways. Refused when the tunnel is closed or the server cannot be reached; both channels are closed then.
     */
    public void add(int connection, ReadableByteChannel requests, WritableByteChannel answers) {
        UnixSocket server;
        DestinationTunnel in;
        synchronized (this) {
            try {
                if (closed) {
                    throw VirtException.of(
                            ErrorCode.OPERATION_INVALID,
                            ErrorDomain.QEMU,
                            "NBD connection " + connection + " of domain '" + domain + "' is too late");
                }
                server = connect(connection);
                in = new DestinationTunnel(requests);
            } catch (RuntimeException e) {
                closeQuietly(requests);
                closeQuietly(answers);
                throw e;
            }
            connections.add(in);
        }
        String label = "nbd" + connection;
        in.startRelay(domain, label, server);
        Thread back = Thread.ofPlatform()
                .daemon(true)
                .name("jvirt-tunnel-back-" + domain + "-" + label)
                .start(() -> answer(label, server, answers));
        synchronized (this) {
            connections.add(() -> {
                server.close(); // wakes the pump back
                back.join(JOIN_MILLIS);
            });
        }
    }

    private UnixSocket connect(int connection) {
        try {
            return UnixSocket.connect(socket);
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.QEMU,
                    "cannot connect NBD connection " + connection + " of domain '" + domain + "' to " + socket + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * The server's answers into the stream, copied (they are small), until the server ends the connection or the
     * stream is gone; then the stream's way back ends. The requests' side is left to end by itself: at a clean end
     * the source's finish is on its way, and otherwise the source, told the server is gone, aborts the stream.
     */
    private void answer(String label, UnixSocket server, WritableByteChannel answers) {
        long total = 0;
        byte[] buffer = new byte[ANSWER_BYTES];
        try {
            int n;
            while ((n = server.read(buffer, 0, buffer.length)) >= 0) {
                ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
                while (b.hasRemaining()) {
                    answers.write(b);
                }
                total += n;
            }
            LOG.log(Level.DEBUG, "tunnel {0} out of {1}: {2} bytes", label, domain, total);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "tunnel {0} out of {1} ended: {2}", label, domain, e.toString());
        } finally {
            closeQuietly(answers);
        }
    }

    /** Ends every connection (the source's NBD client then fails) and removes the socket; idempotent. */
    @Override
    public void close() {
        List<AutoCloseable> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(connections);
            connections.clear();
        }
        for (AutoCloseable c : all) {
            closeQuietly(c);
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "removing {0}: {1}", socket, e.toString());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.log(Level.DEBUG, "closing a storage tunnel connection: {0}", e.toString());
        }
    }
}
