package io.jvirt.daemon;

import io.jvirt.nativeio.NativeIOException;
import io.jvirt.nativeio.UnixServerSocket;
import io.jvirt.nativeio.UnixSocket;
import java.util.function.Consumer;

/**
 * A unix socket systemd bound and handed over ({@link SocketActivation}), accepted on through jvirt-native since the
 * JDK cannot adopt a listening fd. Its file belongs to systemd and stays when the daemon stops, so that the next
 * connection starts jvirtd again.
 *
 * <p>Threading: the accept loop runs on a platform thread of its own (accept blocks in the kernel, which would pin a
 * virtual thread's carrier); {@link #close} from any thread wakes it.
 */
final class InheritedListener implements Listening {
    private static final System.Logger LOG = System.getLogger(InheritedListener.class.getName());

    private final UnixServerSocket server;
    private final String description;
    private final Consumer<UnixSocket> admit;
    private Thread acceptor;

    InheritedListener(UnixServerSocket server, String description, Consumer<UnixSocket> admit) {
        this.server = server;
        this.description = description;
        this.admit = admit;
    }

    @Override
    public void start() {
        acceptor = Thread.ofPlatform()
                .daemon(true)
                .name("jvirtd-accept-" + description)
                .start(this::acceptLoop);
    }

    @Override
    public String description() {
        return description;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                admit.accept(server.accept());
            } catch (NativeIOException e) {
                if (server.isClosed()) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "{0}: accept failed: {1}", description, e.toString());
            }
        }
    }

    @Override
    public void close() {
        server.close();
        if (acceptor != null) {
            try {
                acceptor.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
