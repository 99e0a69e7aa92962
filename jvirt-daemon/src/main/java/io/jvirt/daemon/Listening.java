package io.jvirt.daemon;

/**
 * A socket the daemon accepts clients on, with its accept loop: one it bound ({@link Listener}) or one systemd
 * handed over ({@link InheritedListener}).
 */
interface Listening extends AutoCloseable {
    /** Starts the accept loop. */
    void start();

    /** What the socket is, for the start-up log and the readiness file. */
    String description();

    /** Stops accepting; idempotent. */
    @Override
    void close();
}
