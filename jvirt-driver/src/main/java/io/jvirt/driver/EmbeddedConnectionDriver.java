package io.jvirt.driver;

import io.jvirt.api.Connection;
import io.jvirt.api.ConnectionDriver;
import io.jvirt.api.ConnectionUri;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.migration.cookie.SameHostRefusal;
import io.jvirt.driver.root.EmbedUri;
import io.jvirt.driver.root.HostRoot;
import java.nio.file.Path;

/**
 * Opens the QEMU driver in-process for {@code qemu:///embed?root=DIR}, as libvirt's embedded driver mode does:
 * everything of that host lives under DIR.
 */
public final class EmbeddedConnectionDriver implements ConnectionDriver {

    @Override
    public boolean accepts(ConnectionUri uri) {
        return EmbedUri.accepts(uri);
    }

    @Override
    public Connection open(ConnectionUri uri) {
        String root = uri.param("root");
        if (root == null || root.isBlank()) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "URI '" + uri.text() + "' must name a root directory: qemu:///embed?root=DIR");
        }
        return QemuDriver.open(uri.text(), new HostRoot(Path.of(root)));
    }

    /**
     * Refuses, in libvirt's words ("Attempt to migrate guest to the same host UUID", an internal error), a
     * client-driven migration from {@code source} to {@code destUri} when both name the same embedded root: this
     * process holds that root already, so opening the destination would fail on the root's lock naming our own
     * pid, which does not say what is wrong. Call it before opening the destination; any other pair passes.
     */
    public static void refuseMigrationToItself(Connection source, String destUri) {
        if (EmbedUri.sameRoot(source.uri(), destUri)) {
            throw SameHostRefusal.of(source.hostUuid().toString());
        }
    }
}
