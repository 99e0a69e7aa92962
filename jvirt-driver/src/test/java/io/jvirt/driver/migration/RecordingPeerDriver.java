package io.jvirt.driver.migration;

import io.jvirt.api.Connection;
import io.jvirt.api.ConnectionDriver;
import io.jvirt.api.ConnectionUri;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;

/**
 * Test-only driver (registered for the driver module's tests): {@code recording://NAME/} opens the
 * {@link RecordingPeer} a test registered under NAME, so a peer-to-peer source reaches it as it would reach a
 * daemon. Accepts no other scheme, so it never stands in for a real driver.
 */
public final class RecordingPeerDriver implements ConnectionDriver {
    @Override
    public boolean accepts(ConnectionUri uri) {
        return "recording".equals(uri.driver()) && uri.transport().isEmpty();
    }

    @Override
    public Connection open(ConnectionUri uri) {
        RecordingPeer peer = RecordingPeer.named(uri.host());
        if (peer == null) {
            throw VirtException.of(ErrorCode.NO_CONNECT, ErrorDomain.NONE, uri.text());
        }
        return peer.connection();
    }
}
