/**
 * The QEMU monitor facade, the only way the driver reaches QEMU: {@link io.jvirt.qmp.Monitor} with one method per
 * command the driver uses (plus a generic call and a JSON passthrough for users), and the records and enums of
 * QEMU's answers and events in Java terms (no JSON here). It depends on nothing of jvirt but the native sockets,
 * reached through {@code wire}. Threading: a monitor may be called from any thread concurrently; listeners are
 * called on the monitor's event thread, one event at a time, and may call back into the monitor.
 */
package io.jvirt.qmp;
