/**
 * Storage migration over NBD, as libvirt's QEMU driver does it: which disks are copied ({@link
 * io.jvirt.driver.migration.storage.CopiedDisks}), the destination's missing images created and, on failure, removed
 * ({@link io.jvirt.driver.migration.storage.ImagePrecreation}), its NBD server with one writable export per disk
 * ({@link io.jvirt.driver.migration.storage.NbdExports}), and the source's mirror jobs into those exports ({@link
 * io.jvirt.driver.migration.storage.DiskMirrors}). The migration phases in {@code io.jvirt.driver.migration} decide
 * when each runs. Threading: every class runs on the migration phase's API thread; the mirrors' progress is also
 * read by query threads, and their events arrive through the run's monitor event thread.
 */
package io.jvirt.driver.migration.storage;
