package io.jvirt.nativeio;

/** Two connected unix stream sockets (socketpair(2)); each end is closed by its owner. */
public record SocketPair(UnixSocket first, UnixSocket second) implements AutoCloseable {
    @Override
    public void close() {
        first.close();
        second.close();
    }
}
