/**
 * Live migration as libvirt's QEMU driver does it, one phase per API call: the source's Begin, Perform and
 * Confirm ({@link io.jvirt.driver.migration.MigrationSource}), the destination's Prepare and Finish ({@link
 * io.jvirt.driver.migration.MigrationDestination}), the job that lives across them and its phases, the options
 * and the QEMU settings they make, the wait for QEMU's migration, and recovery of a job a crashed driver left
 * behind. It builds on {@code lifecycle} (a destination starts a domain with an incoming migration), {@code
 * migration.cookie} and {@code migration.tunnel}; {@code migration.peer} and the driver root build on it. Threading:
 * each phase runs on its API caller's thread under the domain's async job; abort, speed and post-copy calls come on
 * other threads and act through the job; QEMU's migration status arrives on the monitor's event thread.
 */
package io.jvirt.driver.migration;
