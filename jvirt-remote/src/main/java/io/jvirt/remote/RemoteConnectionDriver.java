package io.jvirt.remote;

import io.jvirt.api.Connection;
import io.jvirt.api.ConnectionDriver;
import io.jvirt.api.ConnectionUri;

/**
 * The {@link ConnectionDriver} for daemon URIs, registered with {@link java.util.ServiceLoader}. It claims
 * {@code *+unix:///…}, {@code *+tcp://HOST[:PORT]/…}, {@code *+tls://HOST[:PORT]/…} and transport-less {@code qemu:///system} (see
 * {@link RemoteUri}); it never claims {@code qemu:///embed?root=}, which belongs to the embedded driver, so the
 * two never compete and {@link io.jvirt.api.Connections#open}'s class-path order does not matter.
 */
public final class RemoteConnectionDriver implements ConnectionDriver {

    @Override
    public boolean accepts(ConnectionUri uri) {
        return RemoteUri.accepts(uri);
    }

    @Override
    public Connection open(ConnectionUri uri) {
        return RemoteConnection.open(uri.text(), RemoteOptions.DEFAULTS);
    }
}
