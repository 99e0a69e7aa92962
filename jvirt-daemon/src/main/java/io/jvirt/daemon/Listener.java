package io.jvirt.daemon;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * One listening socket (unix rw, unix ro or TCP) and its accept loop on a virtual thread; each accepted connection
 * goes to {@code admit}. Closing the listener ends the loop.
 */
final class Listener implements Listening {
    private static final System.Logger LOG = System.getLogger(Listener.class.getName());

    private final ServerSocketChannel server;
    private final String description;
    private final Consumer<SocketChannel> admit;
    private final Runnable afterClose;
    private Thread acceptor;

    /** @param afterClose cleanup once closed (a unix listener deletes its socket file) */
    Listener(ServerSocketChannel server, String description, Consumer<SocketChannel> admit, Runnable afterClose) {
        this.server = server;
        this.description = description;
        this.admit = admit;
        this.afterClose = afterClose;
    }

    @Override
    public void start() {
        acceptor = Thread.ofVirtual().name("jvirtd-accept-" + description).start(this::acceptLoop);
    }

    @Override
    public String description() {
        return description;
    }

    SocketAddress localAddress() throws IOException {
        return server.getLocalAddress();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                if (client.getLocalAddress() instanceof InetSocketAddress) {
                    // Replies, events and stream packet heads are small writes that must not wait for ACKs.
                    client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                admit.accept(client);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "{0}: accept failed: {1}", description, e.toString());
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: close: {1}", description, e.toString());
        }
        if (acceptor != null) {
            try {
                acceptor.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        afterClose.run();
    }
}
