package io.jvirt.remote;

import java.time.Duration;

/**
 * How a {@link RemoteConnection} behaves beyond its URI.
 *
 * @param readOnly           open with CONNECT_OPEN flag 1 ({@code virsh -r}); the server refuses mutating calls
 * @param keepaliveInterval  silence after which the client PINGs; zero or negative disables the client's PINGs
 *                           (server PINGs are always answered)
 * @param keepaliveCount     unanswered PINGs after which the connection is declared dead
 * @param streamBufferBytes  how many received stream bytes are held before the reader stops reading the socket
 */
public record RemoteOptions(boolean readOnly, Duration keepaliveInterval, int keepaliveCount, int streamBufferBytes) {

    /** libvirt's client defaults: keepalive every 5 s, dead after 5 missed; 1 MiB of unread stream data. */
    public static final RemoteOptions DEFAULTS = new RemoteOptions(false, Duration.ofSeconds(5), 5, 1 << 20);

    public RemoteOptions {
        if (keepaliveCount < 1) {
            throw new IllegalArgumentException("keepalive count must be at least 1");
        }
        if (streamBufferBytes < 1) {
            throw new IllegalArgumentException("stream buffer must hold at least one byte");
        }
    }

    public RemoteOptions withReadOnly(boolean ro) {
        return new RemoteOptions(ro, keepaliveInterval, keepaliveCount, streamBufferBytes);
    }

    public RemoteOptions withKeepalive(Duration interval, int count) {
        return new RemoteOptions(readOnly, interval, count, streamBufferBytes);
    }

    public RemoteOptions withStreamBufferBytes(int bytes) {
        return new RemoteOptions(readOnly, keepaliveInterval, keepaliveCount, bytes);
    }
}
