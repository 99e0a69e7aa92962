/**
 * The ends of a tunnelled migration, where jvirt carries QEMU's stream over the API connection instead of QEMU
 * connecting to its peer: on the source QEMU writes into a pipe (or, with several channels, connects to a unix
 * socket) that a stream reads ({@link io.jvirt.driver.migration.tunnel.SourceTunnel}, {@link
 * io.jvirt.driver.migration.tunnel.SourceTunnelChannels}); on the destination streams are fed into QEMU's incoming
 * pipe or socket ({@link io.jvirt.driver.migration.tunnel.DestinationTunnel}, {@link
 * io.jvirt.driver.migration.tunnel.DestinationTunnelChannels}); and {@link
 * io.jvirt.driver.migration.tunnel.OutgoingTransport}, what Perform sees of any of them. Storage through the tunnel
 * carries the disks' NBD connections the same way, both directions in one stream each ({@link
 * io.jvirt.driver.migration.tunnel.SourceStorageTunnel}, {@link
 * io.jvirt.driver.migration.tunnel.DestinationStorageTunnel}). It depends on the native
 * pipes and sockets, the monitor facade (to pass fds, through {@code process.MonitorCalls}) and the API's errors,
 * never on {@code migration} itself.
 * Threading: bytes move on platform threads of their own or on the connection's stream threads; close may come
 * from any thread and never leaves QEMU blocked on a full pipe.
 */
package io.jvirt.driver.migration.tunnel;
