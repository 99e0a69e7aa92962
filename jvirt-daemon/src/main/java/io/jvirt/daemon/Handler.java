package io.jvirt.daemon;

/**
 * Serves one procedure: takes the decoded args, calls the driver, returns the ret struct ({@code null} for void).
 * Runs on the call's own virtual thread; a {@link io.jvirt.api.VirtException} becomes an error reply.
 *
 * @param <A> the procedure's args type
 * @param <R> the procedure's ret type
 */
@FunctionalInterface
public interface Handler<A, R> {
    R handle(ClientSession client, A args);
}
