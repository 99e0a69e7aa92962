package io.jvirt.driver;

import io.jvirt.api.Connection;
import io.jvirt.api.ConnectionDriver;
import io.jvirt.api.ConnectionUri;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.root.HostRoot;
import java.nio.file.Path;

/**
 * Opens the QEMU driver in-process for {@code qemu:///embed?root=DIR}, as libvirt's embedded driver mode does:
 * everything of that host lives under DIR.
 */
public final class EmbeddedConnectionDriver implements ConnectionDriver {

    @Override
    public boolean accepts(ConnectionUri uri) {
        return "qemu".equals(uri.driver()) && uri.transport().isEmpty() && uri.host().isEmpty()
                && "/embed".equals(uri.path());
    }

    @Override
    public Connection open(ConnectionUri uri) {
        String root = uri.param("root");
        if (root == null || root.isBlank()) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                    "URI '" + uri.text() + "' must name a root directory: qemu:///embed?root=DIR");
        }
        return QemuDriver.open(uri.text(), new HostRoot(Path.of(root)));
    }
}
