package io.jvirt.api;

/**
 * A way to reach a hypervisor, found with {@link java.util.ServiceLoader}: the embedded QEMU driver for
 * {@code qemu:///embed?root=DIR}, the remote client for daemon URIs. {@link Connections#open} asks each in
 * turn.
 */
public interface ConnectionDriver {

    /** True when this driver handles {@code uri}. */
    boolean accepts(ConnectionUri uri);

    /** Opens a connection; failures are {@link VirtException}s. */
    Connection open(ConnectionUri uri);
}
