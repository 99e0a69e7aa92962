/**
 * Test fixtures shared across modules: {@link io.jvirt.testing.FakeQmp}, a scripted QMP server on a unix socket
 * that stands in for QEMU's monitor (commands, fds, events, dropped connections). For tests only. Depends on
 * jvirt-native (fd-passing unix sockets) and Jackson. The fake accepts and reads on one platform thread of its own
 * ({@code fake-qmp}; its reads block in the kernel); scripting, events and drops may come from any thread.
 */
package io.jvirt.testing;
