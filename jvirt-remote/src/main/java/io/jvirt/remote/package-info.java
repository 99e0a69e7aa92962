/**
 * The pure-Java libvirt client: {@link io.jvirt.api.Connection} over libvirt's remote protocol, to a jvirt daemon
 * or a stock libvirtd. {@link io.jvirt.remote.RemoteConnectionDriver} claims the daemon URIs for
 * {@link io.jvirt.api.Connections#open}; {@link io.jvirt.remote.RemoteConnection} is the connection; one reader
 * thread per connection demultiplexes replies, events, keepalive and stream packets.
 */
package io.jvirt.remote;
