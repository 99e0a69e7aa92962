/**
 * QEMU's confinement, as libvirt's DAC security driver and qemu.conf do it: the account QEMU runs as
 * ({@link io.jvirt.driver.security.QemuAccount}), the argv that starts it as that account with no capabilities
 * ({@link io.jvirt.driver.security.ConfinedCommand}), and the files given to that account while a guest runs and
 * given back when it stops ({@link io.jvirt.driver.security.DomainLabels}, whose original owners live in
 * {@link io.jvirt.driver.security.OwnerRecords}). Sits between the lifecycle, which calls it around QEMU's start and
 * end, and the root and config layers it reads. Threading: each call runs on its caller's thread; the owner records
 * serialise themselves across threads and processes.
 */
package io.jvirt.driver.security;
