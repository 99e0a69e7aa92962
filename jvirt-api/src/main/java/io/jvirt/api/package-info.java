/**
 * jvirt's public API, shaped like libvirt's: {@link io.jvirt.api.Connection} (the {@code virConnect} and
 * {@code virDomain} calls), opened by URI through {@link io.jvirt.api.Connections} from whichever
 * {@link io.jvirt.api.ConnectionDriver} claims it (the embedded QEMU driver or the remote client), and the values
 * those calls take and return: records for structs, enums and flag constants carrying libvirt's wire numbers, and
 * {@link io.jvirt.api.VirtException}, the one error type, which mirrors libvirt's wire error. Depends on the JDK
 * only; every other module but jvirt-native depends on it. Values are immutable and safe on any thread; a
 * connection's thread rules are in {@link io.jvirt.api.Connection} and {@link io.jvirt.api.DomainEventListener}.
 */
package io.jvirt.api;
