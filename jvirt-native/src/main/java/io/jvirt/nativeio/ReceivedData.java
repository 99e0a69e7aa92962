package io.jvirt.nativeio;

import java.util.List;

/**
 * What one {@link UnixSocket#recv} returned: the number of bytes read (-1 at end of stream) and the fds that
 * arrived with them (SCM_RIGHTS). The receiver owns those fds: they are close-on-exec, and must be closed.
 */
public record ReceivedData(int bytes, List<Integer> fds) {
    public ReceivedData {
        fds = List.copyOf(fds);
    }

    public boolean isEndOfStream() {
        return bytes < 0;
    }
}
