/**
 * QMP on the wire: {@link io.jvirt.qmp.wire.QmpMonitor}, the facade's implementation over a unix socket with fd
 * passing, and what it is made of: framing, the JSON codec and the reply and event decoders (the only Jackson
 * code on jvirt's QEMU side), the pending-call table and the event dispatcher. It implements {@code io.jvirt.qmp}'s types and uses the
 * native sockets; callers outside should need only {@link io.jvirt.qmp.wire.QmpMonitor#connect}. Threading: a
 * platform reader thread per monitor reads and completes replies; events go to the listener on a separate
 * dispatch thread; callers on any thread write commands and wait for their replies.
 */
package io.jvirt.qmp.wire;
