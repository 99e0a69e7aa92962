/**
 * jvirt's test guest: building it (a Debian cloud kernel and an initramfs of busybox-static and a workload that
 * fills, dirties and checks memory, cached by content), the domain XML that boots it, reading its serial log, and
 * {@link io.jvirt.guest.GuestIntegrity}, the check that a guest came through an operation whole. Used by the CLI's
 * demo and by integration tests. Depends on jvirt-api and on host tools (apt, dpkg-deb, gcc), run directly, never
 * through a shell. Builds block the calling thread until the tools exit; the value classes are immutable.
 */
package io.jvirt.guest;
