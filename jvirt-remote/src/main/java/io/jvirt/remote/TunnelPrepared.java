package io.jvirt.remote;

/**
 * What a tunnelled Prepare (PREPARE_TUNNEL3_PARAMS, 304) gives the source: the destination's cookie for Perform,
 * and the stream to write QEMU's migration bytes into; {@link RemoteStream#finish()} when QEMU is done, then
 * Finish3 on the same connection.
 */
public record TunnelPrepared(String cookie, RemoteStream stream) {}
