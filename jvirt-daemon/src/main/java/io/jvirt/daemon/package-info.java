/**
 * jvirtd: the daemon serving the driver over libvirt's remote protocol, so the stock virsh and a peer libvirtd drive
 * it. {@link io.jvirt.daemon.Daemon} binds the sockets and admits clients; each {@link io.jvirt.daemon.ClientSession}
 * is a transport, a reader, a dispatcher, keepalive, events and streams (one class each); the route groups
 * ({@code *Routes}) fill the {@link io.jvirt.daemon.DispatchTable}. Data flows one way: jvirt-rpc's codec, then
 * dispatch, which only translates and is the one place errors become wire errors, then the driver through
 * jvirt-api's {@link io.jvirt.api.Connection}. Threads: accept loops on virtual threads, one platform reader thread
 * per client (it splices migration payloads in the kernel), one virtual thread per call, bounded per client, plus a
 * keepalive and an event thread per client; each class's Javadoc names its threads.
 */
package io.jvirt.daemon;
