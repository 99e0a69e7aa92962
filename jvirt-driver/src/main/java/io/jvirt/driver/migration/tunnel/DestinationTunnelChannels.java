package io.jvirt.driver.migration.tunnel;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The destination end of a tunnelled migration with several channels (jvirt's extension, see
 * {@link io.jvirt.api.DriverFeature#JVIRT_TUNNEL_CHANNELS}): QEMU, with multifd on, listens on a unix socket in
 * the host's run directory; each channel's stream (channel 0 is PrepareTunnel3's, the others come with jvirt's
 * channel call) gets its own {@link DestinationTunnel} relaying into its own connection to that socket. QEMU tells the
 * main channel from the multifd ones by their first bytes, so the order the streams arrive in does not matter.
 *
 * <p>Threading: {@link #add} runs on the calls' threads, {@link #close()} on whichever thread ends the job.
 */
public final class DestinationTunnelChannels implements AutoCloseable {
    private final String domain;
    private final Path socket;
    private final DestinationTunnel[] inputs;
    private boolean closed;

    /** {@code count} channels in all, the main one included. */
    public DestinationTunnelChannels(String domain, Path socket, int count) {
        this.domain = domain;
        this.socket = socket;
        this.inputs = new DestinationTunnel[count];
    }

    /** The QEMU listen URI. */
    public String qemuUri() {
        return "unix:" + socket;
    }

    /**
     * Starts relaying channel {@code channel}'s bytes into QEMU; a channel out of range or given twice is refused
     * (the caller then closes {@code input}).
     */
    public void add(int channel, DestinationTunnel input) {
        synchronized (this) {
            if (closed || channel < 0 || channel >= inputs.length || inputs[channel] != null) {
                throw VirtException.of(
                        ErrorCode.OPERATION_INVALID,
                        ErrorDomain.QEMU,
                        "tunnel channel " + channel
                                + " of domain '" + domain + "' is " + (closed ? "too late" : "not expected")
                                + " (" + inputs.length + " channels)");
            }
            inputs[channel] = input;
        }
        input.startRelay(domain, channel, socket);
    }

    /** Stops every relay (QEMU's incoming migration then fails) and removes the socket; idempotent. */
    @Override
    public void close() {
        DestinationTunnel[] all;
        synchronized (this) {
            closed = true;
            all = inputs.clone();
        }
        for (DestinationTunnel in : all) {
            if (in != null) {
                in.close();
            }
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // QEMU made it; the next migration's QEMU replaces a stale one
        }
    }
}
